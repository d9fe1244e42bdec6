import { useEffect, useRef, useState, type MouseEvent } from 'react'
import common from '../common/common.module.css'
import styles from './Compare.module.css'

const SHOWN_MS = 4000

type Outcome = { kind: 'copied' } | { kind: 'manual'; href: string } | null

/**
 * Copies the page's URL, which holds the whole view state (the page contract), and says so in a
 * status message. The clipboard API exists only in secure contexts (https, localhost): a team
 * server on plain http has none, so the fallback selects the link in a read-only field and asks
 * the browser to copy the selection; if that fails too, the link is shown selected in a
 * read-only field, waiting for Ctrl+C.
 */
export function CopyLinkButton({ className }: { className?: string }) {
  const [outcome, setOutcome] = useState<Outcome>(null)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)

  useEffect(() => () => clearTimeout(timer.current), [])
  const show = (next: Outcome) => {
    clearTimeout(timer.current)
    setOutcome(next)
    if (next?.kind === 'copied') timer.current = setTimeout(() => setOutcome(null), SHOWN_MS)
  }

  const fallback = (href: string, button: HTMLButtonElement) => {
    if (copyBySelection(href)) show({ kind: 'copied' })
    else show({ kind: 'manual', href })
    button.focus()
  }
  const copy = (event: MouseEvent<HTMLButtonElement>) => {
    const button = event.currentTarget
    const href = window.location.href
    const clipboard = navigator.clipboard as Clipboard | undefined
    if (!clipboard) return fallback(href, button)
    clipboard.writeText(href).then(
      () => show({ kind: 'copied' }),
      () => fallback(href, button),
    )
  }

  return (
    <span className={`${styles.copyLink} ${className ?? ''}`}>
      <button type="button" className={common.smallButton} onClick={copy}>
        Copy link
      </button>
      {outcome?.kind === 'manual' && (
        <input
          className={styles.linkField}
          aria-label="Link to this view"
          readOnly
          value={outcome.href}
          // The last resort: the link shown selected, for Ctrl+C.
          autoFocus
          onFocus={(e) => e.currentTarget.select()}
          onBlur={() => setOutcome((o) => (o?.kind === 'manual' ? null : o))}
        />
      )}
      <span role="status" className={styles.copyStatus}>
        {outcome?.kind === 'copied'
          ? 'Link copied'
          : outcome?.kind === 'manual'
            ? 'Press Ctrl+C (⌘C) to copy the link'
            : ''}
      </span>
    </span>
  )
}

/** The pre-clipboard-API way: select the text in a read-only field and ask the browser to copy. */
function copyBySelection(text: string): boolean {
  const field = document.createElement('textarea')
  field.value = text
  field.readOnly = true
  field.setAttribute('aria-hidden', 'true')
  field.style.position = 'fixed'
  field.style.top = '0'
  field.style.opacity = '0'
  document.body.append(field)
  field.select()
  let copied = false
  try {
    // Deprecated, and the only way to copy without the clipboard API.
    copied = document.execCommand('copy')
  } catch {
    copied = false
  }
  field.remove()
  return copied
}
