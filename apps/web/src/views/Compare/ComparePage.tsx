import { useEffect, type ReactNode } from 'react'
import type { Run } from '@profhub/api'
import type { ProfileDiff, ProfileDocument } from '@profhub/profile'
import { ensureRunLoaded } from '../../actions.ts'
import type { ApiError } from '../../api.ts'
import { displayText } from '../../display-text.ts'
import { useAppStore, type Loadable } from '../../store.ts'
import { useProfileDiff } from '../../tree/diff-loader.ts'
import { defaultViewState, urlFromViewState, type CompareViewState } from '../../url-state.ts'
import { AppHeader } from '../common/AppHeader.tsx'
import { Link } from '../common/Link.tsx'
import { Text } from '../common/Text.tsx'
import { useDocumentTitle } from '../common/use-document-title.ts'
import runPageStyles from '../RunPage/RunPage.module.css'
import { CompareHeader } from './CompareHeader.tsx'
import { CompareViews } from './CompareViews.tsx'
import styles from './Compare.module.css'

type Side = 'before' | 'after'

/**
 * `/compare/<before>/<after>`: loads both runs and their profiles (in parallel), then shows what
 * changed. A run compared with itself works (every change is zero).
 */
export function ComparePage({ view }: { view: CompareViewState }) {
  const ids: Record<Side, string> = { before: view.runId, after: view.compare }
  const beforeRun = useAppStore((s) => s.runs[ids.before])
  const afterRun = useAppStore((s) => s.runs[ids.after])
  const beforeProfile = useAppStore((s) => s.profiles[ids.before])
  const afterProfile = useAppStore((s) => s.profiles[ids.after])

  useEffect(() => {
    ensureRunLoaded(ids.before)
    ensureRunLoaded(ids.after)
  }, [ids.before, ids.after])

  const sides: { side: Side; run?: Loadable<Run>; profile?: Loadable<ProfileDocument> }[] = [
    { side: 'before', run: beforeRun, profile: beforeProfile },
    { side: 'after', run: afterRun, profile: afterProfile },
  ]
  const errorOf = (s: (typeof sides)[number]): ApiError | null =>
    s.run?.status === 'error' ? s.run.error : s.profile?.status === 'error' ? s.profile.error : null

  const missing = sides.filter((s) => errorOf(s)?.status === 404).map((s) => s.side)
  if (missing.length > 0) {
    return (
      <MissingRuns
        missing={missing}
        ids={ids}
        known={sides.flatMap((s) => (s.run?.status === 'ready' ? [s.run.data] : []))}
      />
    )
  }
  const failed = sides.find((s) => errorOf(s) !== null)
  if (failed) {
    return (
      <Shell title="Error">
        <div role="alert" className={runPageStyles.error}>
          <p>
            Could not open the {failed.side === 'before' ? 'first' : 'second'} run.{' '}
            {errorOf(failed)!.message}
          </p>
          <button
            type="button"
            onClick={() => {
              ensureRunLoaded(ids.before, { retry: true })
              ensureRunLoaded(ids.after, { retry: true })
            }}
          >
            Try again
          </button>
        </div>
      </Shell>
    )
  }
  if (
    beforeRun?.status !== 'ready' ||
    afterRun?.status !== 'ready' ||
    beforeProfile?.status !== 'ready' ||
    afterProfile?.status !== 'ready'
  ) {
    return (
      <Shell title="Loading…">
        <p role="status" className={runPageStyles.loading}>
          Loading both profiles…
        </p>
      </Shell>
    )
  }
  return (
    <LoadedCompare
      before={{ run: beforeRun.data, profile: beforeProfile.data }}
      after={{ run: afterRun.data, profile: afterProfile.data }}
      view={view}
    />
  )
}

function Shell({ title, children }: { title: string; children: ReactNode }) {
  useDocumentTitle(title)
  return (
    <>
      <AppHeader />
      <main className={runPageStyles.message}>{children}</main>
    </>
  )
}

/** Which run is missing, by its role and id (a missing run has no name to show). */
function MissingRuns({
  missing,
  ids,
  known,
}: {
  missing: Side[]
  ids: Record<Side, string>
  known: Run[]
}) {
  const both = missing.length === 2
  useDocumentTitle(both ? 'Runs not found' : 'Run not found')
  return (
    <>
      <AppHeader />
      <main className={styles.missing}>
        <h1>Cannot compare: {both ? 'neither run exists' : 'a run is missing'}</h1>
        {missing.map((side) => (
          <p key={side}>
            The {side === 'before' ? 'first (before)' : 'second (after)'} run,{' '}
            <code className={styles.missingId}>{displayText(ids[side])}</code>, does not exist (or
            was deleted).
          </p>
        ))}
        {known.map((run) => (
          <p key={run.id}>
            The other run is{' '}
            <Link href={urlFromViewState(defaultViewState(run.id))}>
              <Text text={run.name} className={styles.inlineName} />
            </Link>
            .
          </p>
        ))}
        <p>
          <Link href="/">See all runs</Link>
        </p>
      </main>
    </>
  )
}

function LoadedCompare({
  before,
  after,
  view,
}: {
  before: { run: Run; profile: ProfileDocument }
  after: { run: Run; profile: ProfileDocument }
  view: CompareViewState
}) {
  const title = `${displayText(before.run.name)} → ${displayText(after.run.name)}`
  // Big runs are compared in a worker: the page answers (and says so) meanwhile.
  const state = useProfileDiff(before.profile, after.profile, view.compareSort)
  if (state.status === 'computing') {
    return (
      <Shell title={title}>
        <p role="status" className={runPageStyles.loading}>
          Comparing…
        </p>
      </Shell>
    )
  }
  if (state.status === 'error') {
    return (
      <Shell title="Error">
        <div role="alert" className={runPageStyles.error}>
          <p>Could not compare the two runs. {state.message}</p>
        </div>
      </Shell>
    )
  }
  return <ComparedRuns before={before} after={after} view={view} diff={state.diff} title={title} />
}

function ComparedRuns({
  before,
  after,
  view,
  diff,
  title,
}: {
  before: { run: Run; profile: ProfileDocument }
  after: { run: Run; profile: ProfileDocument }
  view: CompareViewState
  diff: ProfileDiff
  title: string
}) {
  useDocumentTitle(title)
  return (
    <div className={runPageStyles.page}>
      <AppHeader />
      <main className={runPageStyles.main}>
        <CompareHeader before={before.run} after={after.run} diff={diff} view={view} />
        <CompareViews before={before.profile} after={after.profile} diff={diff} view={view} />
      </main>
    </div>
  )
}
