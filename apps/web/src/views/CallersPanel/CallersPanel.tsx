import { useMemo, useState, type ReactNode } from 'react'
import { filterStatRows, type ProfileDocument } from '@profhub/profile'
import { filterCompareRows } from '../../compare-rows.ts'
import type { HistoryMode } from '../../navigation.ts'
import type { ProfileIndex } from '../../profile-index.ts'
import { selectTableRow } from '../../selectors.ts'
import { FunctionName } from '../common/FunctionName.tsx'
import { HistoryLink } from '../Series/HistoryLink.tsx'
import {
  compareEdgeRows,
  compareFunctionCells,
  runEdgeRows,
  runFunctionCells,
  type CompareSubject,
  type EdgeRow,
} from './edge-rows.ts'
import { FunctionNumbers, NUMBER_COLUMNS, NumberCellView, OnlyBadge } from './EdgeNumbers.tsx'
import styles from './CallersPanel.module.css'

/** Functions like `len` have thousands of callers: show the first ones, the rest on request. */
const FIRST = 200

interface CallersPanelProps {
  profile: ProfileDocument
  index: ProfileIndex
  /** The selected function of `profile` (ignored when comparing: `compare.row` says which). */
  selected: number | null
  search: string
  onSelect: (key: string | null, mode: HistoryMode) => void
  /** Two runs compared: every number before → after with the change, edges paired. */
  compare?: CompareSubject | null
  /** More about the function, after its callees (the run page: its source). */
  children?: ReactNode
  /** The run's labels: with any, a History link to the function in the run's series. */
  labels?: Record<string, string>
}

/** The selected function's own numbers, who called it and what it called (pstats' callers/callees). */
export function CallersPanel(props: CallersPanelProps) {
  const { profile, index, selected, search, onSelect, compare, children, labels } = props
  // Pairing the edges of two runs reads all of their edges: once per selection, not per key
  // typed in Search.
  const subject = useMemo(() => {
    if (compare) {
      return {
        fn: { file: compare.row.file, line: compare.row.line, name: compare.row.name },
        cells: compareFunctionCells(compare.row),
        ...compareEdgeRows(compare),
      }
    }
    if (selected === null) return null
    // One row, built on demand: building every row on the first selection took ~120 ms (100k).
    const row = selectTableRow(profile, selected)
    return {
      fn: row,
      cells: runFunctionCells(row),
      callers: runEdgeRows(profile, index, selected, 'callers'),
      callees: runEdgeRows(profile, index, selected, 'callees'),
    }
  }, [compare, profile, index, selected])
  const hidden = compare
    ? filterCompareRows([compare.row], search).length === 0
    : selected !== null && filterStatRows([selectTableRow(profile, selected)], search).length === 0
  if (!subject) return null
  const mode = compare ? 'compare' : 'run'
  const id = compare ? compare.row.key : String(selected)

  return (
    <aside className={styles.panel} aria-label="Callers and callees">
      <div className={styles.head}>
        <h2 className={styles.title}>
          <FunctionName fn={subject.fn} />
        </h2>
        <HistoryLink labels={labels} fn={subject.fn} />
        <button
          type="button"
          className={styles.close}
          aria-label="Close callers and callees"
          title="Close"
          onClick={() => onSelect(null, 'push')}
        >
          ×
        </button>
      </div>
      <FunctionNumbers cells={subject.cells} />
      {compare && (
        <p className={styles.note}>
          Each number: first run → second run (the change).
          {compare.row.afterIndex === null && ' Only in the first run.'}
          {compare.row.beforeIndex === null && ' Only in the second run.'}
        </p>
      )}
      {hidden && <p className={styles.note}>Hidden in the table by the search.</p>}
      <EdgeList
        key={`callers-${id}`}
        title="Callers"
        empty="No callers: a root of the profile."
        rows={subject.callers}
        mode={mode}
        onSelect={onSelect}
      />
      <EdgeList
        key={`callees-${id}`}
        title="Callees"
        empty="No callees."
        rows={subject.callees}
        mode={mode}
        onSelect={onSelect}
      />
      {children}
    </aside>
  )
}

interface EdgeListProps {
  title: string
  empty: string
  rows: readonly EdgeRow[]
  mode: 'run' | 'compare'
  onSelect: (key: string, mode: HistoryMode) => void
}

/**
 * One run: the name first, then a column per number sized to its widest value (one grid for
 * the whole list, so the columns line up). Comparing: the name on a line of its own, the
 * numbers below it (before → after and the change do not fit beside a name).
 */
function EdgeList({ title, empty, rows, mode, onSelect }: EdgeListProps) {
  const [showAll, setShowAll] = useState(false)
  const shown = showAll ? rows : rows.slice(0, FIRST)
  const headingId = `edges-${title.toLowerCase()}`
  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <h3 id={headingId} className={styles.sectionTitle}>
        {title} <span className={styles.sectionCount}>({rows.length})</span>
      </h3>
      {rows.length === 0 ? (
        <p className={styles.note}>{empty}</p>
      ) : (
        <div className={mode === 'run' ? styles.runGrid : styles.compareGrid}>
          <div className={styles.columns} aria-hidden="true">
            {mode === 'run' && <span className={styles.fnColumn}>function</span>}
            {NUMBER_COLUMNS.map((c) => (
              <span key={c}>{c}</span>
            ))}
          </div>
          <ul className={styles.list}>
            {shown.map((row) => (
              <li key={row.id} className={styles.entry}>
                <button
                  type="button"
                  className={styles.fn}
                  onClick={() => onSelect(row.key, 'push')}
                >
                  <FunctionName fn={row.fn} />
                </button>
                <OnlyBadge only={row.only} />
                {NUMBER_COLUMNS.map((c) => (
                  <span key={c} className={styles.cell}>
                    <NumberCellView label={c} cell={row.cells[c]} />
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </div>
      )}
      {shown.length < rows.length && (
        <button type="button" className={styles.more} onClick={() => setShowAll(true)}>
          Show all {rows.length}
        </button>
      )}
    </section>
  )
}
