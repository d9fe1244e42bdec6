import { formatDuration } from '@profhub/profile'
import chartStyles from '../Charts/Charts.module.css'
import { diffScaleColors } from '../../diff-colors.ts'
import { formatPercentChange } from '../../diff-text.ts'
import styles from './Compare.module.css'

/**
 * The compare charts' legend: the diverging scale of own-time changes (what full blue and full
 * red stand for, in seconds and in percent of the focused call's time before), then the marks
 * the charts share.
 */
export function DiffLegend({
  scale,
  focusBefore,
  searching,
}: {
  /** Seconds of change that get the full colour. */
  scale: number
  /** The focused call's time in the first run (0 when it is new). */
  focusBefore: number
  searching: boolean
}) {
  const pct = formatPercentChange(scale, focusBefore)
  // The theme in use: a theme change re-renders the page (App.tsx).
  const { faster, unchanged, slower } = diffScaleColors()
  const gradient = `linear-gradient(to right, ${faster}, ${unchanged}, ${slower})`
  return (
    <ul aria-label="Legend" className={chartStyles.legend}>
      {scale > 0 ? (
        <li className={`${chartStyles.legendItem} ${styles.scaleItem}`}>
          <span className={styles.scaleEnd}>faster −{formatDuration(scale)}</span>
          <span className={styles.scaleBar} style={{ background: gradient }} aria-hidden="true" />
          <span className={styles.scaleEnd}>+{formatDuration(scale)} slower</span>
          <span className={styles.scaleNote}>
            (colour: the change in each call’s own time, not its callees’; full colour:{' '}
            {formatDuration(scale)}
            {pct !== null && `, ${pct.replace(/^\+/, '')} of the focused call’s time before`})
          </span>
        </li>
      ) : (
        <li className={chartStyles.legendItem}>
          <span
            className={chartStyles.swatch}
            style={{ background: unchanged }}
            aria-hidden="true"
          />
          <span>grey: no change in the own time of any call in view</span>
        </li>
      )}
      <li className={chartStyles.legendItem}>
        <span>size: time in the second run; a call new in it is all change (slower)</span>
      </li>
      <li className={chartStyles.legendItem}>
        <span className={`${chartStyles.swatch} ${chartStyles.hatched}`} aria-hidden="true" />
        <span>hatched: time estimated — pstats records caller→callee totals, not stacks</span>
      </li>
      {searching && (
        <li className={chartStyles.legendItem}>
          <span className={`${chartStyles.swatch} ${chartStyles.dimmed}`} aria-hidden="true" />
          <span>faded: does not match the search</span>
        </li>
      )}
      <li className={chartStyles.legendItem}>
        <span className={`${chartStyles.swatch} ${chartStyles.outlined}`} aria-hidden="true" />
        <span>outlined: the selected function, wherever it is called</span>
      </li>
    </ul>
  )
}
