import type { SeriesFunction, SeriesPoint } from '@profhub/api'
import { formatDuration } from '@profhub/profile'
import { getSeriesFunction } from '../../api.ts'
import { displayText } from '../../display-text.ts'
import { formatAbsoluteTime } from '../../format.ts'
import { runFunctionUrl, seriesUrl, type SeriesFunctionRef } from '../../series-url.ts'
import { Link } from '../common/Link.tsx'
import { useDocumentTitle } from '../common/use-document-title.ts'
import { FunctionTitle } from './FunctionTitle.tsx'
import { RunTooltip } from './RunTooltip.tsx'
import { SeriesChart, type SeriesChartPoint } from './SeriesChart.tsx'
import { LoadError, runAxisTitle, SeriesShell } from './SeriesPage.tsx'
import { functionParts, historyCells, shortCommit } from './series-text.ts'
import { useLoaded } from './use-loaded.ts'
import common from '../common/common.module.css'
import styles from './Series.module.css'

/**
 * `/series/function?label=…&file=…&line=…&name=…`: one function's own and cumulative time in
 * each run of a series, beside the run's total (on a scale of its own), so that a function that
 * grew because the whole run grew is told apart from one that grew by itself.
 */
export function FunctionHistoryPage({
  label,
  fn,
}: {
  label: string
  fn: SeriesFunctionRef | null
}) {
  if (fn === null) {
    return (
      <SeriesShell>
        <h1 className={styles.title}>Function history</h1>
        <p role="alert" className={common.errorBox}>
          This link does not name a whole function: it needs its file, line and name.
        </p>
      </SeriesShell>
    )
  }
  return <History label={label} fn={fn} />
}

function History({ label, fn }: { label: string; fn: SeriesFunctionRef }) {
  const key = JSON.stringify([label, fn.file, fn.line, fn.name])
  const [history, retry] = useLoaded(key, () => getSeriesFunction(label, fn))
  useDocumentTitle(`${displayText(functionParts(fn).name)} · ${displayText(label)}`)
  return (
    <SeriesShell>
      <header className={styles.header}>
        <h1 className={styles.title}>
          <FunctionTitle fn={fn} max={120} />
        </h1>
        <p className={styles.subtitle}>
          In each run of the series{' '}
          <Link href={seriesUrl(label)}>
            <bdi>{displayText(label)}</bdi>
          </Link>
          {history.status === 'ready' && (
            <>
              : {history.data.points.length} runs
              {history.data.truncated && ' (the most recent)'}
            </>
          )}
          .
        </p>
      </header>
      {history.status === 'loading' && <p role="status">Loading the function’s history…</p>}
      {history.status === 'error' && (
        <LoadError what="the function’s history" message={history.error.message} onRetry={retry} />
      )}
      {history.status === 'ready' && history.data.points.length === 0 && (
        <p role="status" className={styles.empty}>
          No runs are labelled <bdi>{displayText(label)}</bdi>.
        </p>
      )}
      {history.status === 'ready' &&
        history.data.points.length > 0 &&
        history.data.points.every((point) => !point.found) && (
          <p role="status" className={styles.empty}>
            No run of this series has <bdi>{displayText(fn.name)}</bdi> in{' '}
            <bdi>{displayText(fn.file)}</bdi>: check the function, or open History from a run of the
            series.
          </p>
        )}
      {history.status === 'ready' && history.data.points.length > 0 && (
        <>
          <HistoryChart history={history.data} />
          <HistoryTable history={history.data} />
        </>
      )}
    </SeriesShell>
  )
}

function pointRows(point: SeriesPoint): [string, string][] {
  const cells = historyCells(point)
  const rows: [string, string][] = point.found
    ? [
        ['own time', cells.tottime],
        ['cumulative', cells.cumtime],
        ['calls', cells.ncalls],
      ]
    : [['function', 'absent from this run']]
  rows.push(['run total', formatDuration(point.runTotal)])
  if (cells.flag !== '') rows.push(['change', cells.flag])
  return rows
}

function HistoryChart({ history }: { history: SeriesFunction }) {
  const { points } = history
  const own = (p: SeriesPoint) => (p.found ? p.tottime : null)
  const chartPoints: SeriesChartPoint[] = points.map((point, i) => {
    const cells = historyCells(point)
    const what = point.found ? `own time ${cells.tottime}` : 'absent'
    const flag = cells.flag === '' ? '' : `, ${cells.flag}`
    return {
      runId: point.runId,
      label: `Run ${i + 1}: ${displayText(point.name)}, ${what}${flag}`,
      mark: point.found ? point.flag : 'absent',
      tooltip: <RunTooltip run={point} rows={pointRows(point)} />,
    }
  })
  return (
    <SeriesChart
      name="Own and cumulative time in each run"
      runAxis={runAxisTitle(history.order)}
      lines={[
        {
          key: 'own',
          label: 'own time',
          axis: 'left',
          variant: 'primary',
          values: points.map(own),
        },
        {
          key: 'cum',
          label: 'cumulative time',
          axis: 'left',
          variant: 'secondary',
          values: points.map((p) => (p.found ? p.cumtime : null)),
        },
        {
          key: 'total',
          label: 'run total',
          axis: 'right',
          variant: 'total',
          values: points.map((p) => p.runTotal),
        },
      ]}
      points={chartPoints}
    />
  )
}

function HistoryTable({ history }: { history: SeriesFunction }) {
  const fn = history.function
  // The series' own order: by commit time when every run has one, the date shown is that.
  const byCommit = history.order === 'commit-time'
  return (
    <div className={styles.tableBox}>
      <table className={styles.table} aria-label="Function history">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Run</th>
            <th scope="col">{byCommit ? 'Committed' : 'Uploaded'}</th>
            <th scope="col">Commit</th>
            <th scope="col" className={styles.number}>
              ncalls
            </th>
            <th scope="col" className={styles.number}>
              tottime
            </th>
            <th scope="col" className={styles.number}>
              cumtime
            </th>
            <th scope="col" className={styles.number}>
              of run total
            </th>
            <th scope="col">vs. the runs before</th>
          </tr>
        </thead>
        <tbody>
          {history.points.map((point, i) => {
            const cells = historyCells(point)
            const commit = shortCommit(point.labels)
            const moved = point.found && point.line !== null && point.line !== fn.line
            return (
              <tr key={point.runId} className={point.found ? undefined : styles.absentRow}>
                <td className={styles.number}>{i + 1}</td>
                <td className={styles.runCell}>
                  <Link
                    href={
                      point.found && point.line !== null
                        ? runFunctionUrl(point.runId, { ...fn, line: point.line })
                        : `/runs/${encodeURIComponent(point.runId)}`
                    }
                  >
                    <bdi>{displayText(point.name)}</bdi>
                  </Link>
                  {moved && <span className={styles.muted}> (line {point.line})</span>}
                </td>
                <td>
                  {(byCommit && formatAbsoluteTime(point.labels['commit-time'] ?? '')) ||
                    formatAbsoluteTime(point.createdAt)}
                </td>
                <td>{commit !== null && <code>{displayText(commit)}</code>}</td>
                <td className={styles.number}>{cells.ncalls}</td>
                <td className={styles.number}>{cells.tottime}</td>
                <td className={styles.number}>{cells.cumtime}</td>
                <td className={styles.number}>{cells.share}</td>
                <td>
                  {cells.flag !== '' && (
                    <span className={`${styles.badge} ${styles[cells.flag]}`}>
                      <span aria-hidden="true">{cells.flag === 'slower' ? '▲ ' : '▼ '}</span>
                      {cells.flag}
                    </span>
                  )}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
