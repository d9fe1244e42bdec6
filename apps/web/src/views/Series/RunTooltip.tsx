import type { ReactNode } from 'react'
import { displayText } from '../../display-text.ts'
import { formatAbsoluteTime } from '../../format.ts'
import styles from './Series.module.css'

/** What a chart point says about its run: name, date, labels, note, then the point's numbers. */
export function RunTooltip({
  run,
  rows,
}: {
  run: { name: string; createdAt: string; labels?: Record<string, string>; note: string }
  rows: [string, ReactNode][]
}) {
  // The commit's time when the run has one (what a series is ordered by), else the upload's.
  const committed = formatAbsoluteTime(run.labels?.['commit-time'] ?? '')
  const labels = Object.entries(run.labels ?? {}).filter(
    ([key]) => committed === '' || key !== 'commit-time',
  )
  return (
    <>
      <bdi className={styles.tipName}>{displayText(run.name)}</bdi>
      <span className={styles.tipMuted}>
        {committed !== ''
          ? `committed ${committed}`
          : `uploaded ${formatAbsoluteTime(run.createdAt)}`}
      </span>
      {labels.map(([key, value]) => (
        <bdi key={key} className={styles.tipMuted}>
          {displayText(`${key}=${value}`)}
        </bdi>
      ))}
      {run.note !== '' && <bdi className={styles.tipNote}>{run.note}</bdi>}
      <dl className={styles.tipRows}>
        {rows.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </>
  )
}
