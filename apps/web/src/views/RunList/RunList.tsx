import { useEffect } from 'react'
import { formatDuration } from '@profhub/profile'
import type { RunSummary } from '@profhub/api'
import { loadMoreRuns, loadRunList } from '../../actions.ts'
import { formatCount } from '../../format.ts'
import { useAppStore } from '../../store.ts'
import { AppHeader } from '../common/AppHeader.tsx'
import { Link } from '../common/Link.tsx'
import { RelativeTime } from '../common/RelativeTime.tsx'
import { Text } from '../common/Text.tsx'
import { useDocumentTitle } from '../common/use-document-title.ts'
import { DropOverlay, UploadButton, UploadStatus, useWindowFileDrop } from './Upload.tsx'
import styles from './RunList.module.css'

/** `/`: every run, newest first, and the ways in (picker, drop anywhere, curl). */
export function RunList() {
  useDocumentTitle('Runs')
  const list = useAppStore((s) => s.runList)
  const dragging = useWindowFileDrop()

  useEffect(() => {
    void loadRunList()
  }, [])

  return (
    <>
      <AppHeader />
      <main className={styles.page}>
        <div className={styles.titleRow}>
          <h1>Runs</h1>
          <UploadButton />
        </div>
        <p className={styles.hint}>
          Drop <code>.prof</code> files anywhere on this page, or press Upload profile.
        </p>
        <UploadStatus />
        {list.status === 'error' && list.runs.length === 0 ? (
          <div role="alert" className={styles.error}>
            Could not load the runs. {list.error?.message}{' '}
            <button type="button" onClick={() => void loadRunList()}>
              Try again
            </button>
          </div>
        ) : list.status === 'ready' && list.runs.length === 0 ? (
          <EmptyState />
        ) : list.runs.length === 0 ? (
          <p role="status" className={styles.loading}>
            Loading runs…
          </p>
        ) : (
          <>
            <RunTable runs={list.runs} />
            {list.error && (
              <p role="alert" className={styles.error}>
                {list.error.message}
              </p>
            )}
            {list.nextCursor !== null && (
              <button
                type="button"
                className={styles.more}
                disabled={list.loadingMore}
                onClick={() => void loadMoreRuns()}
              >
                {list.loadingMore ? 'Loading…' : 'Load more'}
              </button>
            )}
          </>
        )}
      </main>
      {dragging && <DropOverlay />}
    </>
  )
}

function RunTable({ runs }: { runs: RunSummary[] }) {
  return (
    <table className={styles.table}>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Uploaded</th>
          <th scope="col" className={styles.num}>
            Total time
          </th>
          <th scope="col" className={styles.num}>
            Calls
          </th>
          <th scope="col" className={styles.num}>
            Functions
          </th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id}>
            <td className={styles.name}>
              <Link href={`/runs/${encodeURIComponent(run.id)}`}>
                <Text text={run.name} />
              </Link>
            </td>
            <td className={styles.when}>
              <RelativeTime iso={run.createdAt} />
            </td>
            <td className={styles.num}>{formatDuration(run.summary.totalTime)}</td>
            <td className={styles.num}>{formatCount(run.summary.totalCalls)}</td>
            <td className={styles.num}>{formatCount(run.summary.functionCount)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function EmptyState() {
  const endpoint = `${window.location.origin}/api/runs`
  return (
    <section className={styles.empty} aria-labelledby="empty-title">
      <h2 id="empty-title">No runs yet</h2>
      <ol>
        <li>
          Profile a Python program:
          <pre>python -m cProfile -o out.prof your_script.py</pre>
        </li>
        <li>
          Upload <code>out.prof</code>: press <strong>Upload profile</strong>, drop the file
          anywhere on this page, or send it with curl:
          <pre>curl -F file=@out.prof {endpoint}</pre>
        </li>
      </ol>
      <p>Every run gets its own page, and its link is what you share with your team.</p>
    </section>
  )
}
