import { useEffect, type ReactNode } from 'react'
import type { Run } from '@profhub/api'
import type { ProfileDocument } from '@profhub/profile'
import { ensureRunLoaded } from '../../actions.ts'
import { displayText } from '../../display-text.ts'
import { useAppStore } from '../../store.ts'
import type { RunViewState, ViewState } from '../../url-state.ts'
import { AppHeader } from '../common/AppHeader.tsx'
import { useDocumentTitle } from '../common/use-document-title.ts'
import { RunNotFound } from '../NotFound/NotFound.tsx'
import { RunHeader } from './RunHeader.tsx'
import { RunViews } from './RunViews.tsx'
import common from '../common/common.module.css'
import styles from './RunPage.module.css'

/** `/runs/<id>`: loads the run and its profile (in parallel), then shows them. */
export function RunPage({ view }: { view: RunViewState }) {
  const id = view.runId
  const run = useAppStore((s) => s.runs[id])
  const profile = useAppStore((s) => s.profiles[id])

  useEffect(() => {
    ensureRunLoaded(id, { charts: true })
  }, [id])

  if (run?.status === 'error' && run.error.status === 404) return <RunNotFound />
  if (profile?.status === 'error' && profile.error.status === 404) return <RunNotFound />

  const error =
    run?.status === 'error' ? run.error : profile?.status === 'error' ? profile.error : null
  if (error) {
    return (
      <Shell title="Error">
        <div role="alert" className={common.errorBox}>
          <p>Could not open this run. {error.message}</p>
          <button type="button" onClick={() => ensureRunLoaded(id, { retry: true, charts: true })}>
            Try again
          </button>
        </div>
      </Shell>
    )
  }
  if (run?.status !== 'ready' || profile?.status !== 'ready') {
    return (
      <Shell title={run?.status === 'ready' ? displayText(run.data.name) : 'Loading…'}>
        <p role="status" className={styles.loading}>
          Loading the profile…
        </p>
      </Shell>
    )
  }
  return <LoadedRun run={run.data} profile={profile.data} view={view} />
}

function Shell({ title, children }: { title: string; children: ReactNode }) {
  useDocumentTitle(title)
  return (
    <>
      <AppHeader />
      <main className={styles.message}>{children}</main>
    </>
  )
}

function LoadedRun({
  run,
  profile,
  view,
}: {
  run: Run
  profile: ProfileDocument
  view: ViewState
}) {
  useDocumentTitle(displayText(run.name))
  return (
    <div className={styles.page}>
      <AppHeader />
      <main className={styles.main}>
        <RunHeader run={run} profile={profile} />
        <RunViews run={run} profile={profile} view={view} />
      </main>
    </div>
  )
}
