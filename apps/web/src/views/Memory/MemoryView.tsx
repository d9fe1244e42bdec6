import { useMemo, useState } from 'react'
import type { Run } from '@profhub/api'
import type { ProfileDocument } from '@profhub/profile'
import { displayText } from '../../display-text.ts'
import { formatBytes, formatCount, formatExactBytes } from '../../format.ts'
import {
  groupMemoryByFunction,
  OUTSIDE_FUNCTIONS,
  sortMemoryLines,
  type FunctionMemory,
  type MemoryDocument,
  type MemoryLine,
} from '../../memory.ts'
import { functionKey } from '../../profile-index.ts'
import { urlFromViewState, type ViewState } from '../../url-state.ts'
import { FunctionName, NameText } from '../common/FunctionName.tsx'
import { Link } from '../common/Link.tsx'
import { PanelMessage } from '../common/ProfileViews.tsx'
import { Text } from '../common/Text.tsx'
import { useRunMemory } from './use-run-memory.ts'
import styles from './Memory.module.css'

/** Rows each table shows before "Show all". */
const FIRST = 100

/** The Memory tab: tracemalloc's totals, the heaviest lines and the functions they are in. */
export function MemoryView({
  run,
  profile,
  view,
}: {
  run: Run
  profile: ProfileDocument
  view: ViewState
}) {
  const memory = useRunMemory(run)
  if (memory.status === 'loading') {
    return <PanelMessage role="status">Loading the memory data…</PanelMessage>
  }
  if (memory.status === 'error') {
    return (
      <PanelMessage role="alert">
        Could not load the memory data: {memory.error.message}
      </PanelMessage>
    )
  }
  if (memory.data === null) return <NoMemory />
  return <MemoryTables doc={memory.data} profile={profile} view={view} />
}

function NoMemory() {
  return (
    <div className={styles.empty}>
      <p role="status">This run has no memory data.</p>
      <p>
        Trace its memory with <code>tracemalloc</code> (standard library) while it is profiled:
      </p>
      <code className={styles.command}>python profhub.py run --memory your_script.py</code>
      <p className={styles.note}>
        The run page then shows the peak, the memory still held at the end by line and by function,
        and the source view shows each line’s memory.
      </p>
    </div>
  )
}

function matches(search: string, ...texts: string[]): boolean {
  const needle = search.trim().toLowerCase()
  return needle === '' || texts.some((text) => text.toLowerCase().includes(needle))
}

function MemoryTables({
  doc,
  profile,
  view,
}: {
  doc: MemoryDocument
  profile: ProfileDocument
  view: ViewState
}) {
  const functions = useMemo(
    () => groupMemoryByFunction(doc.lines, profile.functions),
    [doc, profile.functions],
  )
  const lines = useMemo(() => sortMemoryLines(doc.lines), [doc])
  const search = view.search
  const shownFunctions = functions.filter((f) => matches(search, f.name, f.file))
  const shownLines = lines.filter((l) => matches(search, l.file))
  return (
    <div className={styles.memory}>
      <dl className={styles.totals} aria-label="Memory totals">
        <Total label="Peak" bytes={doc.peakBytes} />
        <Total label="Final (held at the end)" bytes={doc.finalBytes} />
        <Total label="Allocation sites" count={doc.lines.length} />
      </dl>
      <p className={styles.note}>
        Traced by {displayText(doc.tool ?? 'tracemalloc')}. Sizes are the bytes each line still held
        when the program ended; the peak is a total over the run. Functions group lines by enclosing
        def: a line counts in the profiled function of its file with the nearest def above it.
        {doc.tracebackLimit !== undefined &&
          ` Tracebacks kept ${doc.tracebackLimit} frame${doc.tracebackLimit === 1 ? '' : 's'}.`}
      </p>
      {doc.overheadNote !== undefined && doc.overheadNote !== '' && (
        <p className={styles.note}>
          <Text text={doc.overheadNote} wrap />
        </p>
      )}
      <div className={styles.columns}>
        <FunctionTable rows={shownFunctions} profile={profile} view={view} />
        <LineTable rows={shownLines} />
      </div>
    </div>
  )
}

function Total({ label, bytes, count }: { label: string; bytes?: number; count?: number }) {
  return (
    <div className={styles.total}>
      <dt>{label}</dt>
      <dd>
        {bytes !== undefined ? (
          <>
            {formatBytes(bytes)}
            <span className={styles.exact}>{formatExactBytes(bytes)}</span>
          </>
        ) : (
          formatCount(count ?? 0)
        )}
      </dd>
    </div>
  )
}

function useShowAll<T>(rows: readonly T[]): [readonly T[], (() => void) | null] {
  const [all, setAll] = useState(false)
  return [
    all ? rows : rows.slice(0, FIRST),
    !all && rows.length > FIRST ? () => setAll(true) : null,
  ]
}

/** Below a table: that no row matches, or the button that shows all `count` rows. */
function TableEnd({
  count,
  noun,
  showAll,
}: {
  count: number
  noun: string
  showAll: (() => void) | null
}) {
  if (count === 0) return <p className={styles.note}>No {noun} matches.</p>
  return (
    showAll && (
      <button type="button" className={styles.more} onClick={showAll}>
        Show all {formatCount(count)}
      </button>
    )
  )
}

function FunctionTable({
  rows,
  profile,
  view,
}: {
  rows: readonly FunctionMemory[]
  profile: ProfileDocument
  view: ViewState
}) {
  const [shown, showAll] = useShowAll(rows)
  return (
    <section className={styles.section} aria-labelledby="memory-functions">
      <h2 id="memory-functions" className={styles.heading}>
        Heaviest functions <span className={styles.exact}>(by enclosing def)</span>
      </h2>
      <table className={styles.table} aria-label="Memory by function">
        <thead>
          <tr>
            <th scope="col" className={styles.where}>
              function
            </th>
            <th scope="col" className={styles.num}>
              size
            </th>
            <th scope="col" className={styles.count}>
              count
            </th>
            <th scope="col" className={styles.count}>
              lines
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => (
            <tr key={row.index ?? `outside:${row.file}`}>
              <td className={styles.where}>
                {row.index === null ? (
                  <span className={styles.outside}>
                    <Text text={row.file} /> {OUTSIDE_FUNCTIONS}
                  </span>
                ) : (
                  <Link
                    className={styles.fnLink}
                    title="Show this function in the table"
                    href={urlFromViewState({
                      ...view,
                      tab: 'table',
                      selected: functionKey(profile.functions[row.index]!),
                      focus: null,
                    })}
                  >
                    <FunctionName fn={row} />
                  </Link>
                )}
              </td>
              <td className={styles.num} title={formatExactBytes(row.size)}>
                {formatBytes(row.size)}
              </td>
              <td className={styles.count}>{formatCount(row.count)}</td>
              <td className={styles.count}>{formatCount(row.lineCount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <TableEnd count={rows.length} noun="function" showAll={showAll} />
    </section>
  )
}

function LineTable({ rows }: { rows: readonly MemoryLine[] }) {
  const [shown, showAll] = useShowAll(rows)
  return (
    <section className={styles.section} aria-labelledby="memory-lines">
      <h2 id="memory-lines" className={styles.heading}>
        Heaviest lines
      </h2>
      <table className={styles.table} aria-label="Memory by line">
        <thead>
          <tr>
            <th scope="col" className={styles.where}>
              file:line
            </th>
            <th scope="col" className={styles.num}>
              size
            </th>
            <th scope="col" className={styles.count}>
              count
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => (
            <tr key={`${row.line}:${row.file}`}>
              <td className={styles.where}>
                <NameText text={`${row.file}:${row.line}`} />
              </td>
              <td className={styles.num} title={formatExactBytes(row.size)}>
                {formatBytes(row.size)}
              </td>
              <td className={styles.count}>{formatCount(row.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <TableEnd count={rows.length} noun="line" showAll={showAll} />
    </section>
  )
}
