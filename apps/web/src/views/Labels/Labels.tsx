import { useState, type FormEvent } from 'react'
import { isLabelFilter } from '../../run-list-url.ts'
import { seriesUrl } from '../../series-url.ts'
import { Link } from '../common/Link.tsx'
import { Text } from '../common/Text.tsx'
import styles from './Labels.module.css'

/** `KEY=VALUE` from a run's labels, as the list filter takes it. */
export function labelText(key: string, value: string): string {
  return `${key}=${value}`
}

/**
 * A run's labels as chips (untrusted text). On a run page each links to its series (the runs
 * that share it, in order; that page links on to the run list filtered by it); on the list,
 * `onPick` adds it to the current filters.
 */
export function LabelChips({
  labels,
  onPick,
}: {
  labels: Record<string, string> | undefined
  onPick?: (label: string) => void
}) {
  const entries = Object.entries(labels ?? {})
  if (entries.length === 0) return null
  return (
    <ul className={styles.list} aria-label="Labels">
      {entries.map(([key, value]) => {
        const label = labelText(key, value)
        return (
          <li key={key}>
            {onPick ? (
              <button
                type="button"
                className={styles.chip}
                title={`Show only runs labelled ${label}`}
                onClick={() => onPick(label)}
              >
                <Text text={label} />
              </button>
            ) : (
              <Link
                className={styles.chip}
                title={`Show the series of runs labelled ${label}`}
                href={seriesUrl(label)}
              >
                <Text text={label} />
              </Link>
            )}
          </li>
        )
      })}
    </ul>
  )
}

/**
 * The list's label filters: each active one with a button to remove it, and a field to add one
 * (`KEY=VALUE`, Enter). With one label, a link to its series.
 */
export function LabelFilters({
  labels,
  onChange,
}: {
  labels: readonly string[]
  onChange: (labels: string[]) => void
}) {
  const [draft, setDraft] = useState('')
  const [error, setError] = useState<string | null>(null)
  const add = (event: FormEvent) => {
    event.preventDefault()
    const label = draft.trim()
    if (label === '') return
    if (!isLabelFilter(label)) {
      setError('Write a label as KEY=VALUE, e.g. branch=main.')
      return
    }
    setError(null)
    setDraft('')
    if (!labels.includes(label)) onChange([...labels, label])
  }
  return (
    <form className={styles.filters} onSubmit={add} aria-label="Label filters">
      <input
        className={styles.filterInput}
        aria-label="Filter by label"
        placeholder="Label: KEY=VALUE"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        aria-invalid={error !== null}
        spellCheck={false}
        autoComplete="off"
      />
      {labels.map((label) => (
        <button
          key={label}
          type="button"
          className={`${styles.chip} ${styles.active}`}
          aria-label={`Remove the label filter ${label}`}
          onClick={() => onChange(labels.filter((l) => l !== label))}
        >
          <Text text={label} />
          <span className={styles.remove} aria-hidden="true">
            ×
          </span>
        </button>
      ))}
      {labels.length === 1 && (
        // One label is a series: its runs in order, and what changed between them.
        <Link className={styles.seriesLink} href={seriesUrl(labels[0]!)}>
          Show as a series
        </Link>
      )}
      {error !== null && (
        <span role="alert" className={styles.error}>
          {error}
        </span>
      )}
    </form>
  )
}
