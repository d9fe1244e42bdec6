import type { ReactNode } from 'react'
import type { Series, SeriesOrder } from '@profhub/api'
import { formatDuration } from '@profhub/profile'
import { getSeries, getSeriesChanges } from '../../api.ts'
import { displayText } from '../../display-text.ts'
import { DEFAULT_LIST_QUERY, urlFromListQuery } from '../../run-list-url.ts'
import { AppHeader } from '../common/AppHeader.tsx'
import { Link } from '../common/Link.tsx'
import { useDocumentTitle } from '../common/use-document-title.ts'
import { ChangesList } from './ChangesList.tsx'
import { RunTooltip } from './RunTooltip.tsx'
import { SeriesChart } from './SeriesChart.tsx'
import { useLoaded } from './use-loaded.ts'
import common from '../common/common.module.css'
import styles from './Series.module.css'

/** What the x axis of a series' charts counts. */
export function runAxisTitle(order: SeriesOrder): string {
  return order === 'commit-time'
    ? 'runs, oldest first (by commit time)'
    : 'runs, oldest first (by upload time)'
}

/**
 * `/series?label=KEY=VALUE`: the runs that share a label, their total times in order, and the
 * functions whose own time changed along them (the server finds the changes).
 */
export function SeriesPage({ label }: { label: string }) {
  const [series, retrySeries] = useLoaded(`series ${label}`, () => getSeries(label))
  const [changes, retryChanges] = useLoaded(`changes ${label}`, () => getSeriesChanges(label))
  useDocumentTitle(`Series ${displayText(label)}`)
  const empty = series.status === 'ready' && series.data.runs.length === 0
  return (
    <SeriesShell>
      <header className={styles.header}>
        <h1 className={styles.title}>
          Series <bdi>{displayText(label)}</bdi>
        </h1>
        <p className={styles.subtitle}>
          {series.status === 'ready' && <SeriesFacts series={series.data} />}
          <Link href={urlFromListQuery({ ...DEFAULT_LIST_QUERY, labels: [label] })}>
            All runs labelled <bdi>{displayText(label)}</bdi>
          </Link>
        </p>
      </header>
      {series.status === 'loading' && <p role="status">Loading the series…</p>}
      {series.status === 'error' && (
        <LoadError what="the series" message={series.error.message} onRetry={retrySeries} />
      )}
      {empty && (
        <p role="status" className={styles.empty}>
          No runs are labelled <bdi>{displayText(label)}</bdi>. Upload runs with this label (
          <code>profhub.py --label {displayText(label)}</code>, or a multipart <code>label</code>{' '}
          field) to see their series here.
        </p>
      )}
      {series.status === 'ready' && !empty && <TotalsChart series={series.data} />}
      {!empty && series.status !== 'error' && (
        <section className={styles.section} aria-labelledby="changes-heading">
          <h2 id="changes-heading" className={styles.sectionTitle}>
            Changes
          </h2>
          {changes.status === 'loading' && <p role="status">Looking for changes…</p>}
          {changes.status === 'error' && (
            <LoadError what="the changes" message={changes.error.message} onRetry={retryChanges} />
          )}
          {changes.status === 'ready' && <ChangesList changes={changes.data} label={label} />}
        </section>
      )}
    </SeriesShell>
  )
}

function SeriesFacts({ series }: { series: Series }) {
  const count = series.runs.length
  // The server orders by commit time only when every run has one: say which runs stop it.
  const undated = series.runs.filter((run) =>
    Number.isNaN(Date.parse(run.labels?.['commit-time'] ?? '')),
  ).length
  return (
    <span>
      {count} {count === 1 ? 'run' : 'runs'}
      {series.truncated && ' (the most recent; older runs left out)'}, ordered by{' '}
      {series.order === 'commit-time' ? 'commit time' : 'upload time'}
      {series.order === 'created' &&
        undated < count &&
        ` (${undated} of ${count} runs have no commit-time label)`}
      .{' '}
    </span>
  )
}

function TotalsChart({ series }: { series: Series }) {
  const runs = series.runs
  return (
    <SeriesChart
      name="Total time of each run"
      runAxis={runAxisTitle(series.order)}
      lines={[
        {
          key: 'total',
          label: 'total time',
          axis: 'left',
          variant: 'primary',
          values: runs.map((run) => run.summary.totalTime),
        },
      ]}
      points={runs.map((run, i) => ({
        runId: run.id,
        label: `Run ${i + 1}: ${displayText(run.name)}, ${formatDuration(run.summary.totalTime)}`,
        mark: null,
        tooltip: (
          <RunTooltip run={run} rows={[['total time', formatDuration(run.summary.totalTime)]]} />
        ),
      }))}
    />
  )
}

/** The page frame shared by the series page and a function's history. */
export function SeriesShell({ children }: { children: ReactNode }) {
  return (
    <>
      <AppHeader />
      <main className={styles.page}>{children}</main>
    </>
  )
}

/** The server's message (a 400 for a bad label, a 404…) and a way to ask again. */
export function LoadError({
  what,
  message,
  onRetry,
}: {
  what: string
  message: string
  onRetry: () => void
}) {
  return (
    <div role="alert" className={common.errorBox}>
      <p>
        Could not load {what}. {message}
      </p>
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  )
}
