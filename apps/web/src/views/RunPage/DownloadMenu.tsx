import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import type { ExportFormat, Run } from '@profhub/api'
import { runExportUrl, runSourceFileUrl } from '../../api.ts'
import { displayText } from '../../display-text.ts'
import styles from './DownloadMenu.module.css'

interface Item {
  key: string
  href: string
  label: string
  description: string
}

const EXPORTS: { format: ExportFormat; label: string; description: string }[] = [
  {
    format: 'prof',
    label: 'pstats file (.prof)',
    description: 'For pstats, snakeviz and other pstats tools; a merged run as one',
  },
  {
    format: 'pstats',
    label: 'pstats report (.txt)',
    description: 'What print_stats() prints, sorted by cumulative time',
  },
  { format: 'csv', label: 'CSV (.csv)', description: 'One row per function, for spreadsheets' },
  {
    format: 'callgrind',
    label: 'Callgrind',
    description: 'Calls and their times, for KCachegrind',
  },
  {
    format: 'speedscope',
    label: 'speedscope (.json)',
    description: 'The charts’ call tree (estimated), for speedscope',
  },
]

function itemsOf(run: Run): Item[] {
  const files = run.source.files
  const originals = files.map((file, index) => ({
    key: `file-${index}`,
    href: runSourceFileUrl(run.id, index),
    label: files.length === 1 ? 'Uploaded file' : `Uploaded file ${index + 1} of ${files.length}`,
    // The name is untrusted text: shown with its controls and bidi overrides made visible.
    description: `${displayText(file.fileName)}, as uploaded`,
  }))
  const exports = EXPORTS.map(({ format, label, description }) => ({
    key: format,
    href: runExportUrl(run.id, format),
    label,
    description,
  }))
  return [...originals, ...exports]
}

/**
 * The run page's Download button: a menu (WAI-ARIA menu button pattern) of the uploaded
 * file(s) and each export, every item with a line saying what it is for. Arrow keys, Home and
 * End move between items, Escape closes and returns to the button, Tab closes and moves on.
 */
export function DownloadMenu({ run }: { run: Run }) {
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  const menu = useRef<HTMLDivElement>(null)
  const focusOnOpen = useRef<'first' | 'last'>('first')
  const id = useId()
  const items = itemsOf(run)

  const itemElements = () =>
    Array.from(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])

  useEffect(() => {
    if (!open) return
    const elements = itemElements()
    elements[focusOnOpen.current === 'first' ? 0 : elements.length - 1]?.focus()
    // A press anywhere else closes the menu.
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false)
    }
    document.addEventListener('pointerdown', onPointerDown)
    return () => document.removeEventListener('pointerdown', onPointerDown)
  }, [open])

  const openAt = (where: 'first' | 'last') => {
    focusOnOpen.current = where
    setOpen(true)
  }
  const close = (refocus: boolean) => {
    setOpen(false)
    if (refocus) button.current?.focus()
  }

  const onButtonKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      openAt(event.key === 'ArrowDown' ? 'first' : 'last')
    }
  }
  const onMenuKeyDown = (event: KeyboardEvent) => {
    const elements = itemElements()
    const at = elements.indexOf(document.activeElement as HTMLElement)
    const move = (index: number) => elements[(index + elements.length) % elements.length]?.focus()
    switch (event.key) {
      case 'ArrowDown':
        move(at + 1)
        break
      case 'ArrowUp':
        move(at - 1)
        break
      case 'Home':
        move(0)
        break
      case 'End':
        move(elements.length - 1)
        break
      case 'Escape':
        close(true)
        break
      case 'Tab':
        close(false)
        return // focus moves on as usual
      default:
        return
    }
    event.preventDefault()
    event.stopPropagation()
  }

  return (
    <div className={styles.wrapper}>
      <button
        ref={button}
        type="button"
        className={styles.button}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? `${id}-menu` : undefined}
        onClick={() => (open ? close(false) : openAt('first'))}
        onKeyDown={onButtonKeyDown}
      >
        Download <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div
          ref={menu}
          id={`${id}-menu`}
          role="menu"
          aria-label="Download"
          className={styles.menu}
          onKeyDown={onMenuKeyDown}
        >
          {items.map((item) => (
            <a
              key={item.key}
              role="menuitem"
              tabIndex={-1}
              className={styles.item}
              href={item.href}
              download
              aria-labelledby={`${id}-${item.key}`}
              aria-describedby={`${id}-${item.key}-about`}
              // After the click: a link taken out of the page before then does not download.
              onClick={() => window.setTimeout(() => close(true))}
            >
              <span id={`${id}-${item.key}`} className={styles.label}>
                {item.label}
              </span>
              <span id={`${id}-${item.key}-about`} className={styles.description}>
                {item.description}
              </span>
            </a>
          ))}
        </div>
      )}
    </div>
  )
}
