import { memo, useDeferredValue, useMemo } from 'react'
import {
  computeMatchCounts,
  formatSeconds,
  type Change,
  type FunctionMatching,
  type MatchCounts,
} from '@profhub/profile'
import { formatCount } from '../../format.ts'
import { formatSignedCount, formatSignedSeconds } from '../../diff-text.ts'
import type { HistoryMode } from '../../navigation.ts'
import type { CompareSortState } from '../../url-state.ts'
import commonStyles from '../common/common.module.css'
import { Text } from '../common/Text.tsx'
import { useSelectableRows } from '../common/use-selectable-rows.ts'
import {
  defaultCompareDirection,
  filterCompareRows,
  sortCompareRows,
  type CompareRow,
  type CompareSortKey,
} from '../../compare-rows.ts'
import styles from './CompareTable.module.css'

type Group = 'ncalls' | 'tottime' | 'cumtime'
type Side = 'before' | 'after' | 'change'

const GROUPS: { group: Group; description: string }[] = [
  { group: 'ncalls', description: 'Calls (total/primitive when recursive)' },
  { group: 'tottime', description: 'Time in the function itself, seconds' },
  { group: 'cumtime', description: 'Time in the function and its callees, seconds' },
]
const SIDES: { side: Side; description: string }[] = [
  { side: 'before', description: 'in the first run' },
  { side: 'after', description: 'in the second run' },
  { side: 'change', description: 'after − before (sorts by its size, either way)' },
]

/**
 * The columns. Each header's accessible name is `ncalls before`, `tottime change`…: the group
 * is visible once above its three columns and repeated, visually hidden, in each header.
 */
const COLUMNS: { key: CompareSortKey; group?: Group; side?: Side; description: string }[] = [
  ...GROUPS.flatMap(({ group, description }) =>
    SIDES.map((s) => ({
      key: `${group}-${s.side}` as CompareSortKey,
      group,
      side: s.side,
      description: `${description}, ${s.description}`,
    })),
  ),
  { key: 'function', description: 'Where the function is (in the second run)' },
]
const LABEL = 'filename:lineno(function)'

const ROOT_TEXT: Record<keyof MatchCounts['byRoot'], string> = {
  project: 'the project',
  'site-packages': 'site-packages',
  stdlib: 'the standard library',
  'other-python': 'the standard library of another Python version',
}

/**
 * How the matched functions that are not at the same path and line were found: `3 by path
 * relative to the project, 1 to site-packages; 2 at another line`. Empty when all were.
 */
function formatMatchedHow(counts: MatchCounts): string {
  const roots = (Object.keys(ROOT_TEXT) as (keyof typeof ROOT_TEXT)[])
    .filter((root) => counts.byRoot[root] > 0)
    .map(
      (root, i) =>
        `${formatCount(counts.byRoot[root])} ${i === 0 ? 'by path relative ' : ''}to ${ROOT_TEXT[root]}`,
    )
  const moved = counts.moved > 0 ? [`${formatCount(counts.moved)} at another line`] : []
  return [roots.join(', '), ...moved].filter(Boolean).join('; ')
}

interface CompareTableProps {
  rows: readonly CompareRow[]
  /** How the rows' functions were paired, for the summary line. */
  matching: FunctionMatching
  sort: CompareSortState
  search: string
  selected: string | null
  onSort: (sort: CompareSortState) => void
  onSelect: (key: string, mode: HistoryMode) => void
}

/**
 * One row per function of either run: ncalls, tottime and cumtime before, after and the change.
 * Virtualized like the stats table (ARIA table roles on divs, `aria-rowcount`/`aria-rowindex`).
 */
export function CompareTable({
  rows: all,
  matching,
  sort,
  search,
  selected,
  onSort,
  onSelect,
}: CompareTableProps) {
  const sorted = useMemo(
    () => sortCompareRows(all, sort.key, sort.direction),
    [all, sort.key, sort.direction],
  )
  const deferredSearch = useDeferredValue(search)
  const rows = useMemo(() => filterCompareRows(sorted, deferredSearch), [sorted, deferredSearch])
  const stale = deferredSearch !== search
  const selectedPos = useMemo(
    () => (selected === null ? -1 : rows.findIndex((r) => r.key === selected)),
    [rows, selected],
  )
  const counts = useMemo(() => computeMatchCounts(matching), [matching])
  const how = formatMatchedHow(counts)

  const { scroller, virtualizer, items, tabbable, onRowClick, onKeyDown } = useSelectableRows({
    rows,
    count: rows.length,
    rowAt: (position: number) => rows[position],
    selectedPos,
    onSelect,
  })

  const onHeaderClick = (key: CompareSortKey) => {
    onSort(
      key === sort.key
        ? { key, direction: sort.direction === 'asc' ? 'desc' : 'asc' }
        : { key, direction: defaultCompareDirection(key) },
    )
  }

  return (
    <div className={styles.wrapper}>
      <div
        role="table"
        aria-label="Changes by function"
        aria-rowcount={rows.length + 1}
        aria-colcount={COLUMNS.length}
        className={styles.table}
      >
        <div role="rowgroup" className={styles.head}>
          {/* The groups, for the eye; each header says its group to assistive tech. */}
          <div className={styles.groupRow} aria-hidden="true">
            {GROUPS.map(({ group }) => (
              <div key={group} className={styles.group}>
                {group}
              </div>
            ))}
            <div />
          </div>
          <div role="row" aria-rowindex={1} className={styles.headRow}>
            {COLUMNS.map((column) => {
              const active = column.key === sort.key
              return (
                <div
                  key={column.key}
                  role="columnheader"
                  aria-sort={
                    active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined
                  }
                  className={
                    column.key === 'function'
                      ? styles.labelHeader
                      : column.side === 'before'
                        ? `${styles.numHeader} ${styles.groupStart}`
                        : styles.numHeader
                  }
                >
                  <button
                    type="button"
                    className={styles.sortButton}
                    title={column.description}
                    onClick={() => onHeaderClick(column.key)}
                  >
                    {column.group ? (
                      <span>
                        <span className={commonStyles.visuallyHidden}>{column.group} </span>
                        {column.side}
                      </span>
                    ) : (
                      LABEL
                    )}
                    <span
                      aria-hidden="true"
                      className={styles.sortIcon}
                      data-direction={active ? sort.direction : undefined}
                    />
                  </button>
                </div>
              )
            })}
          </div>
        </div>
        <div
          ref={scroller}
          role="rowgroup"
          className={stale ? `${styles.body} ${styles.stale}` : styles.body}
          onClick={onRowClick}
          onKeyDown={onKeyDown}
        >
          <div className={styles.sizer} style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = rows[item.index]!
              return (
                <Row
                  key={row.key}
                  row={row}
                  position={item.index}
                  start={item.start}
                  selected={item.index === selectedPos}
                  tabbable={item.index === tabbable}
                />
              )
            })}
          </div>
          {rows.length === 0 && (
            <p className={styles.empty}>
              No function matches “<Text text={deferredSearch} className={styles.emptyText} />
              ”.
            </p>
          )}
        </div>
      </div>
      <p className={styles.count} aria-live="polite">
        <span title={how ? `Matched ${how}` : undefined}>
          {formatCount(counts.matched)} matched · {formatCount(counts.added)} added ·{' '}
          {formatCount(counts.removed)} removed
        </span>
        {` · ${formatCount(rows.length)} of ${formatCount(all.length)} functions`}
        {how && (
          <>
            <br />({how})
          </>
        )}
      </p>
    </div>
  )
}

/** `12` or pstats' `12/3` (total/primitive) for recursive functions. */
function calls(row: CompareRow, side: 'before' | 'after'): string {
  const total = row.ncalls[side]
  const primitive = row.primitiveCalls[side]
  return total === primitive ? String(total) : `${total}/${primitive}`
}

/** Red for more, blue for less, as in the charts. */
function changeClass(change: number): string {
  if (change > 0) return `${styles.num} ${styles.slower}`
  if (change < 0) return `${styles.num} ${styles.faster}`
  return styles.num ?? ''
}

const Missing = () => (
  <>
    <span aria-hidden="true">–</span>
    <span className={commonStyles.visuallyHidden}>not in this run</span>
  </>
)

function TimeCells({ row, field }: { row: CompareRow; field: 'tottime' | 'cumtime' }) {
  const c: Change = row[field]
  const change = formatSignedSeconds(c.change)
  return (
    <>
      <div role="cell" className={styles.num}>
        {row.beforeIndex === null ? <Missing /> : formatSeconds(c.before)}
      </div>
      <div role="cell" className={styles.num}>
        {row.afterIndex === null ? <Missing /> : formatSeconds(c.after)}
      </div>
      <div role="cell" className={changeClass(change.startsWith('0') ? 0 : c.change)}>
        {change}
      </div>
    </>
  )
}

const BADGES: Record<Exclude<CompareRow['status'], 'both'>, string> = {
  added: 'only in the second run',
  removed: 'only in the first run',
  moved: 'same file and name, another line',
}

interface RowProps {
  row: CompareRow
  position: number
  start: number
  selected: boolean
  tabbable: boolean
}

const Row = memo(function Row({ row, position, start, selected, tabbable }: RowProps) {
  return (
    <div
      role="row"
      aria-rowindex={position + 2}
      aria-selected={selected}
      tabIndex={tabbable ? 0 : -1}
      data-index={position}
      data-status={row.status}
      className={selected ? `${styles.row} ${styles.selected}` : styles.row}
      style={{ transform: `translateY(${start}px)` }}
    >
      <div role="cell" className={styles.num}>
        {row.beforeIndex === null ? <Missing /> : calls(row, 'before')}
      </div>
      <div role="cell" className={styles.num}>
        {row.afterIndex === null ? <Missing /> : calls(row, 'after')}
      </div>
      <div role="cell" className={changeClass(row.ncalls.change)}>
        {formatSignedCount(row.ncalls.change)}
      </div>
      <TimeCells row={row} field="tottime" />
      <TimeCells row={row} field="cumtime" />
      <div role="cell" className={styles.label}>
        {row.status !== 'both' && (
          <span className={styles.badge} data-status={row.status} title={BADGES[row.status]}>
            {row.status === 'moved' ? `moved from line ${row.lineBefore}` : row.status}
          </span>
        )}
        {row.status !== 'both' && <span className={commonStyles.visuallyHidden}>: </span>}
        <Text text={row.label} className={styles.labelText} />
      </div>
    </div>
  )
})
