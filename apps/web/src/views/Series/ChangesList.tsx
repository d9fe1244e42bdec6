import type { SeriesChange, SeriesChanges } from '@profhub/api'
import { formatDuration } from '@profhub/profile'
import { displayText } from '../../display-text.ts'
import { compareFunctionUrl, runFunctionUrl, seriesFunctionUrl } from '../../series-url.ts'
import { Link } from '../common/Link.tsx'
import { FunctionTitle } from './FunctionTitle.tsx'
import { formatPercent, functionParts, shortCommit } from './series-text.ts'
import styles from './Series.module.css'

/**
 * The functions whose own time left its usual range, largest change first. A function whose
 * cumulative time grew only because one of these did is not a change of its own: it is shown
 * under that function, as a caller.
 */
export function ChangesList({ changes, label }: { changes: SeriesChanges; label: string }) {
  if (changes.changes.length === 0) {
    return (
      <p role="status" className={styles.empty}>
        No changes found: no function’s own time left its usual range in the{' '}
        {changes.scanned === 1 ? 'latest run' : `${changes.scanned} latest runs`}.
      </p>
    )
  }
  return (
    <ol className={styles.changes} aria-label="Changes">
      {changes.changes.map((change) => (
        <Change
          key={`${change.file}\0${change.line}\0${change.name}`}
          change={change}
          label={label}
        />
      ))}
    </ol>
  )
}

function Change({ change, label }: { change: SeriesChange; label: string }) {
  const commit = shortCommit(change.labels)
  const name = functionParts(change).name
  const { tottime, runTotal } = change
  return (
    <li className={styles.change}>
      <div className={styles.changeHead}>
        <h3 className={styles.changeName}>
          <FunctionTitle fn={change} />
        </h3>
        <span className={`${styles.badge} ${styles[change.direction]}`}>{change.direction}</span>
        <Link className={styles.historyLink} href={seriesFunctionUrl(label, change)}>
          History
        </Link>
      </div>
      <p className={styles.changeFacts}>
        <span>
          own time {formatDuration(tottime.before)} → {formatDuration(tottime.after)} (
          {formatPercent(tottime.percent)})
        </span>
        <span>
          at{' '}
          <Link href={runFunctionUrl(change.runId, change)} title={displayText(change.runName)}>
            {commit !== null ? (
              <>
                commit <code>{displayText(commit)}</code>
              </>
            ) : (
              <bdi>{displayText(change.runName)}</bdi>
            )}
          </Link>
        </span>
        <span className={styles.muted}>
          run total {formatDuration(runTotal.before)} → {formatDuration(runTotal.after)}
        </span>
        {change.previousRunId !== null && (
          <Link href={compareFunctionUrl(change.previousRunId, change.runId, change)}>
            Compare with the run before
          </Link>
        )}
      </p>
      {change.callers.length > 0 && (
        <ul className={styles.callers} aria-label={`Grew through ${displayText(name)}`}>
          {change.callers.map((caller) => (
            <li key={`${caller.file}\0${caller.line}\0${caller.name}`} className={styles.caller}>
              <FunctionTitle fn={caller} max={40} />
              <span className={styles.muted}>
                cumulative time grew only through <bdi>{displayText(name)}</bdi> (
                {formatDuration(caller.cumtime.before)} → {formatDuration(caller.cumtime.after)})
              </span>
            </li>
          ))}
        </ul>
      )}
    </li>
  )
}
