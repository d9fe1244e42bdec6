import { FunctionName } from '../common/FunctionName.tsx'
import { Text } from '../common/Text.tsx'
import type { NodeFacts } from '../../node-text.ts'
import styles from './Charts.module.css'
import own from './ChartTooltip.module.css'

const OFFSET = 14

/**
 * A node's numbers, as DOM text (names are untrusted: React text only, through `Text` and
 * `FunctionName`, which escape control characters). The title line keeps the function's name and
 * line visible and cuts the path; the location line below wraps, so the whole path can be read.
 */
export function ChartTooltip({
  id,
  facts,
  x,
  y,
  width,
  height,
}: {
  id: string
  facts: NodeFacts
  x: number
  y: number
  width: number
  height: number
}) {
  // Keep it on the chart: to the left of the pointer on the right half, above it low down.
  const left = x > width * 0.55
  const up = y > height * 0.6
  const style = {
    left: left ? x - OFFSET : x + OFFSET,
    top: up ? y - OFFSET : y + OFFSET,
    transform: `translate(${left ? '-100%' : '0'}, ${up ? '-100%' : '0'})`,
  }
  return (
    <div id={id} role="tooltip" className={styles.tooltip} style={style}>
      <div className={styles.tipTitle}>
        {facts.fn ? <FunctionName fn={facts.fn} /> : <Text text={facts.label} />}
      </div>
      <div className={styles.tipLocation}>
        <Text text={facts.location} wrap className={own.location} />
      </div>
      <dl className={styles.tipFacts}>
        {facts.rows.map(([name, value]) => (
          <div key={name} className={styles.tipRow}>
            <dt>
              <Text text={name} />
            </dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p className={facts.exact ? styles.tipExact : styles.tipEstimated}>{facts.exactness}</p>
    </div>
  )
}
