import type { Run } from '@profhub/api'
import { formatPercentChange } from '../../diff-text.ts'
import { computeEnvironmentDifferences, formatEnvironmentWarning } from '../../environment.ts'
import { formatBytes, formatBytesChange, formatExactBytes } from '../../format.ts'
import { computeLineChanges, type MemoryDocument } from '../../memory.ts'
import { runDetails } from '../../run-details.ts'
import { NameText } from '../common/FunctionName.tsx'
import { Text } from '../common/Text.tsx'
import { useRunMemory } from '../Memory/use-run-memory.ts'
import styles from './CompareMemory.module.css'
import compare from './Compare.module.css'

/** Lines the compare page lists under the memory totals. */
const CHANGED_LINES = 5

/**
 * Above the numbers: the two runs ran on different Pythons, profilers, clocks or machines, so
 * their times may differ for reasons that are not the code.
 */
export function EnvironmentWarning({ before, after }: { before: Run; after: Run }) {
  const differences = computeEnvironmentDifferences(
    runDetails(before).environment,
    runDetails(after).environment,
  )
  if (differences.length === 0) return null
  return (
    <p role="alert" className={styles.warning}>
      <Text text={formatEnvironmentWarning(differences)} wrap />
    </p>
  )
}

/**
 * Memory before → after → change beside the time summary, when both runs traced it; a line
 * saying which did when only one did; nothing when neither did.
 */
export function CompareMemory({ before, after }: { before: Run; after: Run }) {
  const a = useRunMemory(before)
  const b = useRunMemory(after)
  if (a.status === 'loading' || b.status === 'loading') return null
  if (a.status === 'error' || b.status === 'error') {
    const error = a.status === 'error' ? a.error : b.status === 'error' ? b.error : null
    return (
      <p role="alert" className={styles.note}>
        Could not load the memory data: {error?.message}
      </p>
    )
  }
  if (a.data === null && b.data === null) return null
  if (a.data === null || b.data === null) {
    const which = a.data === null ? 'second (after)' : 'first (before)'
    return (
      <p className={styles.note}>
        Only the {which} run has memory data: record both with{' '}
        <code>python profhub.py run --memory …</code> to compare memory.
      </p>
    )
  }
  return <MemoryChange before={a.data} after={b.data} />
}

function MemoryChange({ before, after }: { before: MemoryDocument; after: MemoryDocument }) {
  const lines = computeLineChanges(before.lines, after.lines, CHANGED_LINES)
  const items = [
    { label: 'Peak memory', before: before.peakBytes, after: after.peakBytes },
    { label: 'Final memory', before: before.finalBytes, after: after.finalBytes },
  ]
  return (
    <section className={styles.memory} aria-label="Memory change">
      <dl className={compare.summary} aria-label="Memory">
        {items.map((item) => {
          const change = item.after - item.before
          const pct = formatPercentChange(change, item.before) ?? 'new'
          const tone = change > 0 ? compare.slower : change < 0 ? compare.faster : compare.same
          return (
            <div key={item.label} className={compare.summaryItem}>
              <dt>{item.label}</dt>
              <dd
                className={compare.summaryValues}
                title={`${formatExactBytes(item.before)} → ${formatExactBytes(item.after)}`}
              >
                {formatBytes(item.before)} → {formatBytes(item.after)}
              </dd>
              <dd className={`${compare.summaryChange} ${tone}`}>
                {formatBytesChange(change)} ({pct})
              </dd>
            </div>
          )
        })}
      </dl>
      {lines.length > 0 && (
        <table className={styles.lines} aria-label="Memory change by line">
          <caption>Lines whose memory changed most (held at the end)</caption>
          <thead>
            <tr>
              <th scope="col" className={styles.where}>
                file:line
              </th>
              <th scope="col">before</th>
              <th scope="col">after</th>
              <th scope="col">change</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={`${line.line}:${line.file}`}>
                <td className={styles.where}>
                  <NameText text={`${line.file}:${line.line}`} />
                </td>
                <td title={formatExactBytes(line.before)}>{formatBytes(line.before)}</td>
                <td title={formatExactBytes(line.after)}>{formatBytes(line.after)}</td>
                <td
                  className={line.change > 0 ? compare.slower : compare.faster}
                  title={formatExactBytes(line.change)}
                >
                  {formatBytesChange(line.change)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
