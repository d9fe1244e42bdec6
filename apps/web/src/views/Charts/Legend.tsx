import { formatDuration } from '@profhub/profile'
import type { LegendEntry } from '../../chart-colors.ts'
import { Text } from '../common/Text.tsx'
import { formatShare } from '../../node-text.ts'
import styles from './Charts.module.css'

/** The colours (packages with the most own time) and the marks (hatching, dimming). */
export function Legend({
  entries,
  totalTime,
  searching,
}: {
  entries: readonly LegendEntry[]
  totalTime: number
  searching: boolean
}) {
  return (
    <ul aria-label="Legend" className={styles.legend}>
      {entries.map((entry) => (
        <li key={entry.pkg} className={styles.legendItem}>
          <span className={styles.swatch} style={{ background: entry.color }} aria-hidden="true" />
          <Text text={entry.pkg} className={styles.legendName} />
          <span className={styles.legendTime}>
            {formatDuration(entry.time)} own ({formatShare(entry.time, totalTime)})
          </span>
        </li>
      ))}
      <li className={styles.legendItem}>
        <span className={`${styles.swatch} ${styles.hatched}`} aria-hidden="true" />
        <span>hatched: time estimated — pstats records caller→callee totals, not stacks</span>
      </li>
      {searching && (
        <li className={styles.legendItem}>
          <span className={`${styles.swatch} ${styles.dimmed}`} aria-hidden="true" />
          <span>faded: does not match the search</span>
        </li>
      )}
      <li className={styles.legendItem}>
        <span className={`${styles.swatch} ${styles.outlined}`} aria-hidden="true" />
        <span>outlined: the selected function, wherever it is called</span>
      </li>
    </ul>
  )
}
