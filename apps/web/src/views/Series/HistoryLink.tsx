import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { displayText } from '../../display-text.ts'
import { seriesFunctionUrl, seriesLabelsOf, type SeriesFunctionRef } from '../../series-url.ts'
import { Link } from '../common/Link.tsx'
import styles from './Series.module.css'

/**
 * "History": the function in each run of the run's series. A run with no label is in no
 * series, so there is no link; with several labels the link follows the default series
 * (`project`, else `branch`, else the first label) and a menu beside it offers the others.
 */
export function HistoryLink({
  labels,
  fn,
}: {
  labels: Record<string, string> | undefined
  fn: SeriesFunctionRef
}) {
  const choices = seriesLabelsOf(labels)
  if (choices.length === 0) return null
  const first = choices[0]!
  return (
    <span className={styles.history}>
      <Link
        className={styles.historyLink}
        href={seriesFunctionUrl(first, fn)}
        title={`This function in each run labelled ${displayText(first)}`}
      >
        History
      </Link>
      {choices.length > 1 && <SeriesMenu choices={choices.slice(1)} fn={fn} />}
    </span>
  )
}

/** A disclosure listing each label's series: Escape closes it and returns to its button. */
function SeriesMenu({ choices, fn }: { choices: string[]; fn: SeriesFunctionRef }) {
  const [open, setOpen] = useState(false)
  const wrapper = useRef<HTMLSpanElement>(null)
  const button = useRef<HTMLButtonElement>(null)
  const id = useId()
  useEffect(() => {
    if (!open) return
    wrapper.current?.querySelector<HTMLElement>('a')?.focus()
    const onPointerDown = (event: PointerEvent) => {
      if (!wrapper.current?.contains(event.target as Node)) setOpen(false)
    }
    document.addEventListener('pointerdown', onPointerDown)
    return () => document.removeEventListener('pointerdown', onPointerDown)
  }, [open])
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !open) return
    event.preventDefault()
    event.stopPropagation()
    setOpen(false)
    button.current?.focus()
  }
  return (
    <span ref={wrapper} className={styles.menuWrapper} onKeyDown={onKeyDown}>
      <button
        ref={button}
        type="button"
        className={styles.menuButton}
        aria-label="History in the series of another label"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => setOpen(!open)}
      >
        <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <ul id={id} className={styles.menu} aria-label="Series">
          {choices.map((label) => (
            <li key={label}>
              <Link className={styles.menuItem} href={seriesFunctionUrl(label, fn)}>
                <bdi>{displayText(label)}</bdi>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </span>
  )
}
