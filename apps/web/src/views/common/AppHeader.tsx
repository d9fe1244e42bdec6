import { useEffect, useState, type ReactNode } from 'react'
import { setThemeChoice, THEME_CHOICES, type ThemeChoice } from '../../theme.ts'
import { Link } from './Link.tsx'
import { ShortcutsDialog } from './ShortcutsDialog.tsx'
import { useThemeChoice } from './use-theme.ts'
import styles from './AppHeader.module.css'

const CHOICE_LABELS: Record<ThemeChoice, string> = {
  system: 'System',
  light: 'Light',
  dark: 'Dark',
}

/**
 * The thin bar on top of every page: the app's name (a link home), page-specific actions, the
 * theme switch and the keyboard shortcuts (also opened by `?` anywhere outside a text field).
 */
export function AppHeader({ children }: { children?: ReactNode }) {
  const choice = useThemeChoice()
  const [shortcutsOpen, setShortcutsOpen] = useState(false)

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== '?' || event.ctrlKey || event.metaKey || event.altKey) return
      if (event.defaultPrevented || isTextField(event.target)) return
      // Not over another dialog (Delete run?, the token prompt): one modal at a time.
      if (document.querySelector('dialog[open]')) return
      event.preventDefault()
      setShortcutsOpen(true)
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])

  return (
    <header className={styles.bar}>
      <Link href="/" className={styles.brand}>
        profhub
      </Link>
      <div className={styles.actions}>
        {children}
        <select
          aria-label="Theme"
          title="Theme"
          className={styles.theme}
          value={choice}
          onChange={(event) => setThemeChoice(event.target.value as ThemeChoice)}
        >
          {THEME_CHOICES.map((option) => (
            <option key={option} value={option}>
              {CHOICE_LABELS[option]}
            </option>
          ))}
        </select>
        <button
          type="button"
          className={styles.help}
          aria-label="Keyboard shortcuts"
          aria-haspopup="dialog"
          title="Keyboard shortcuts (?)"
          onClick={() => setShortcutsOpen(true)}
        >
          ?
        </button>
      </div>
      {shortcutsOpen && <ShortcutsDialog onClose={() => setShortcutsOpen(false)} />}
    </header>
  )
}

/** Where `?` is typed rather than a shortcut. */
function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  if (!(target instanceof HTMLInputElement)) return false
  return !['button', 'checkbox', 'radio', 'range', 'color', 'file', 'submit', 'reset'].includes(
    target.type,
  )
}
