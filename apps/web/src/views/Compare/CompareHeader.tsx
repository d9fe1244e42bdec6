import type { Run } from '@profhub/api'
import type { ProfileDiff, SummaryChange } from '@profhub/profile'
import { formatCount } from '../../format.ts'
import { navigate } from '../../navigation.ts'
import { defaultViewState, urlFromViewState, type CompareViewState } from '../../url-state.ts'
import { Link } from '../common/Link.tsx'
import { RelativeTime } from '../common/RelativeTime.tsx'
import { NameText } from '../common/FunctionName.tsx'
import { CopyLinkButton } from './CopyLinkButton.tsx'
import { CompareMemory, EnvironmentWarning } from './CompareMemory.tsx'
import { formatPercentChange } from '../../diff-text.ts'
import common from '../common/common.module.css'
import styles from './Compare.module.css'

/**
 * The two runs (`h1`: "before → after"), links to each, Swap and Copy link, a warning when they
 * ran on different Pythons or machines (above the numbers), pstats' summary numbers side by side
 * with their change, and memory's when both runs traced it.
 */
export function CompareHeader({
  before,
  after,
  diff,
  view,
}: {
  before: Run
  after: Run
  diff: ProfileDiff
  view: CompareViewState
}) {
  // Swapping keeps the view (tab, sort, search…); the focus path names functions, not runs.
  const swap = () => navigate(urlFromViewState({ ...view, runId: after.id, compare: before.id }))
  return (
    <header className={common.pageHeader}>
      <div className={common.titleRow}>
        <h1 className={styles.title}>
          <NameText text={before.name} className={styles.titleName} />
          <span className={styles.arrow}> → </span>
          <NameText text={after.name} className={styles.titleName} />
        </h1>
        <div className={styles.actions}>
          <button type="button" className={common.smallButton} onClick={swap}>
            Swap
          </button>
          <CopyLinkButton />
        </div>
      </div>
      <p className={styles.runs}>
        <RunLink role="before" run={before} />
        <RunLink role="after" run={after} />
      </p>
      <EnvironmentWarning before={before} after={after} />
      <Summary diff={diff} />
      <CompareMemory before={before} after={after} />
    </header>
  )
}

function RunLink({ role, run }: { role: 'before' | 'after'; run: Run }) {
  return (
    <span className={styles.runLink}>
      <span className={styles.role}>{role}:</span>
      <Link href={urlFromViewState(defaultViewState(run.id))} className={styles.runName}>
        <NameText text={run.name} />
      </Link>
      <span className={styles.uploaded}>
        uploaded <RelativeTime iso={run.createdAt} />
      </span>
    </span>
  )
}

const seconds = (s: number) => `${s.toFixed(3)} s`
const signedSeconds = (s: number) => {
  const text = seconds(Math.abs(s))
  return /^0\.000/.test(text) ? text : `${s > 0 ? '+' : '-'}${text}`
}

const signedCount = (n: number) =>
  n > 0 ? `+${formatCount(n)}` : n < 0 ? `-${formatCount(-n)}` : '0'

/** pstats' summary numbers: before → after, the change, and the change in percent. */
function Summary({ diff }: { diff: ProfileDiff }) {
  const items: { label: string; change: SummaryChange; time?: boolean }[] = [
    { label: 'Total time', change: diff.summary.totalTime, time: true },
    { label: 'Function calls', change: diff.summary.totalCalls },
    { label: 'Primitive calls', change: diff.summary.primitiveCalls },
    { label: 'Functions', change: diff.summary.functionCount },
  ]
  return (
    <dl className={styles.summary} aria-label="Summary">
      {items.map(({ label, change, time }) => {
        const pct = formatPercentChange(change.change, change.before) ?? 'new'
        const tone =
          change.change > 0 ? styles.slower : change.change < 0 ? styles.faster : styles.same
        return (
          <div key={label} className={styles.summaryItem}>
            <dt>{label}</dt>
            <dd className={styles.summaryValues}>
              {time ? seconds(change.before) : formatCount(change.before)} →{' '}
              {time ? seconds(change.after) : formatCount(change.after)}
            </dd>
            <dd className={`${styles.summaryChange} ${tone}`}>
              {time ? signedSeconds(change.change) : signedCount(change.change)} ({pct})
            </dd>
          </div>
        )
      })}
    </dl>
  )
}
