import { memo, useDeferredValue, useMemo } from 'react'
import { formatNcalls, formatSeconds, type ProfileDocument } from '@profhub/profile'
import { formatCount } from '../../format.ts'
import type { HistoryMode } from '../../navigation.ts'
import {
  selectSearchText,
  selectSortedOrder,
  selectTableColumns,
  selectTableRow,
} from '../../selectors.ts'
import type { SortState } from '../../url-state.ts'
import { Text } from '../common/Text.tsx'
import { useSelectableRows } from '../common/use-selectable-rows.ts'
import {
  defaultTableDirection,
  filterTableIndices,
  type TableRow,
  type TableSortKey,
} from '../../table-rows.ts'
import styles from './StatsTable.module.css'

/** pstats' columns, in pstats' order; `label` is each header's accessible name. */
const COLUMNS: { key: TableSortKey; label: string; description: string }[] = [
  { key: 'ncalls', label: 'ncalls', description: 'Calls (total/primitive when recursive)' },
  { key: 'tottime', label: 'tottime', description: 'Time in the function itself, seconds' },
  { key: 'tottime-percall', label: 'percall', description: 'tottime per call (tottime / ncalls)' },
  { key: 'cumtime', label: 'cumtime', description: 'Time in the function and its callees' },
  {
    key: 'cumtime-percall',
    label: 'percall',
    description: 'cumtime per primitive call (cumtime / primitive calls)',
  },
  { key: 'function', label: 'filename:lineno(function)', description: 'Where the function is' },
]

interface StatsTableProps {
  profile: ProfileDocument
  sort: SortState
  search: string
  selectedIndex: number | null
  onSort: (sort: SortState) => void
  onSelect: (key: string, mode: HistoryMode) => void
}

/**
 * The pstats table, virtualized: only the rows in view are in the DOM, so 100k functions scroll
 * like 100. ARIA table roles on divs (a `<table>` cannot position rows absolutely), with
 * `aria-rowcount`/`aria-rowindex` telling assistive tech where the rendered rows sit.
 */
export function StatsTable({
  profile,
  sort,
  search,
  selectedIndex,
  onSort,
  onSelect,
}: StatsTableProps) {
  // `rows` holds function indices in the table's order; the row objects are built when shown.
  // Each sorted order is computed once per profile (selectSortedOrder), apart from the filter, so
  // typing never re-sorts and sorting again by an earlier column is free.
  const sorted = selectSortedOrder(profile, sort.key, sort.direction)
  // Typing stays responsive: the filtered list catches up in a lower-priority render.
  const deferredSearch = useDeferredValue(search)
  const rows = useMemo(
    () => filterTableIndices(sorted, selectSearchText(profile), deferredSearch),
    [sorted, profile, deferredSearch],
  )
  const stale = deferredSearch !== search
  const total = selectTableColumns(profile).count

  const selectedPos = useMemo(
    () => (selectedIndex === null ? -1 : rows.indexOf(selectedIndex)),
    [rows, selectedIndex],
  )
  const rowAt = (pos: number): TableRow | undefined => {
    const index = rows[pos]
    return index === undefined ? undefined : selectTableRow(profile, index)
  }

  const { scroller, virtualizer, items, tabbable, onRowClick, onKeyDown } = useSelectableRows({
    rows,
    count: rows.length,
    rowAt,
    selectedPos,
    onSelect,
  })

  const onHeaderClick = (key: TableSortKey) => {
    onSort(
      key === sort.key
        ? { key, direction: sort.direction === 'asc' ? 'desc' : 'asc' }
        : { key, direction: defaultTableDirection(key) },
    )
  }

  return (
    <div className={styles.wrapper}>
      <div
        role="table"
        aria-label="Functions"
        aria-rowcount={rows.length + 1}
        aria-colcount={COLUMNS.length}
        className={styles.table}
      >
        <div role="rowgroup" className={styles.head}>
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
                  className={column.key === 'function' ? styles.labelHeader : styles.numHeader}
                >
                  <button
                    type="button"
                    className={styles.sortButton}
                    title={column.description}
                    onClick={() => onHeaderClick(column.key)}
                  >
                    {column.label}
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
              const row = rowAt(item.index)!
              return (
                <Row
                  key={row.index}
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
        {formatCount(rows.length)} of {formatCount(total)} functions
      </p>
    </div>
  )
}

interface RowProps {
  row: TableRow
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
      className={selected ? `${styles.row} ${styles.selected}` : styles.row}
      style={{ transform: `translateY(${start}px)` }}
    >
      <div role="cell" className={styles.num}>
        {formatNcalls(row)}
      </div>
      <div role="cell" className={styles.num}>
        {formatSeconds(row.tottime)}
      </div>
      <div role="cell" className={styles.num}>
        {formatSeconds(row.tottimePerCall)}
      </div>
      <div role="cell" className={styles.num}>
        {formatSeconds(row.cumtime)}
      </div>
      <div role="cell" className={styles.num}>
        {formatSeconds(row.cumtimePerCall)}
      </div>
      <div role="cell" className={styles.label}>
        <Text text={row.label} />
      </div>
    </div>
  )
})
