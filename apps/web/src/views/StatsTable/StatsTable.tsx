import {
  memo,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  type KeyboardEvent,
  type MouseEvent,
} from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
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
import {
  defaultTableDirection,
  filterTableIndices,
  type TableRow,
  type TableSortKey,
} from './table-rows.ts'
import styles from './StatsTable.module.css'

const ROW_HEIGHT = 24

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

  const scroller = useRef<HTMLDivElement>(null)
  // No React Compiler in this app, so its warning about the virtualizer's unstable API is moot.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  })

  // Keep the selection in view when it moves (keyboard, callers panel, a shared URL) or when the
  // rows change under it; with no selection, a new order or filter starts from the top.
  const shownRows = useRef(rows)
  useEffect(() => {
    const rowsChanged = shownRows.current !== rows
    shownRows.current = rows
    if (selectedPos >= 0)
      virtualizer.scrollToIndex(selectedPos, { align: rowsChanged ? 'center' : 'auto' })
    else if (rowsChanged) virtualizer.scrollToOffset(0)
  }, [rows, selectedPos, virtualizer])

  // After a keyboard move, focus follows the selection once its row is rendered.
  const pendingFocus = useRef<number | null>(null)
  useEffect(() => {
    if (pendingFocus.current === null) return
    const row = scroller.current?.querySelector<HTMLElement>(
      `[data-index="${pendingFocus.current}"]`,
    )
    if (row) {
      row.focus({ preventScroll: true })
      pendingFocus.current = null
    }
  })

  const items = virtualizer.getVirtualItems()
  // One row is in the tab order: the selected one when rendered, else the first rendered.
  const tabbable =
    selectedPos >= 0 && items.some((item) => item.index === selectedPos)
      ? selectedPos
      : (items[0]?.index ?? -1)

  const onHeaderClick = (key: TableSortKey) => {
    onSort(
      key === sort.key
        ? { key, direction: sort.direction === 'asc' ? 'desc' : 'asc' }
        : { key, direction: defaultTableDirection(key) },
    )
  }

  const onRowClick = (event: MouseEvent<HTMLDivElement>) => {
    const pos = rowPosition(event.target)
    const row = pos === null ? undefined : rowAt(pos)
    if (row) onSelect(row.key, 'push')
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (rows.length === 0) return
    const from = rowPosition(event.target) ?? (selectedPos >= 0 ? selectedPos : -1)
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 0) / ROW_HEIGHT) - 1)
    let to: number
    switch (event.key) {
      case 'ArrowDown':
        to = from + 1
        break
      case 'ArrowUp':
        to = from - 1
        break
      case 'PageDown':
        to = from + page
        break
      case 'PageUp':
        to = from - page
        break
      case 'Home':
        to = 0
        break
      case 'End':
        to = rows.length - 1
        break
      case 'Enter':
      case ' ': {
        const row = rowAt(from)
        if (row) {
          event.preventDefault()
          onSelect(row.key, 'push')
        }
        return
      }
      default:
        return
    }
    event.preventDefault()
    to = Math.min(rows.length - 1, Math.max(0, to))
    // Arrowing through rows replaces the history entry: Back should not replay every step.
    pendingFocus.current = to
    onSelect(rowAt(to)!.key, 'replace')
    virtualizer.scrollToIndex(to, { align: 'auto' })
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

function rowPosition(target: EventTarget): number | null {
  const row = target instanceof Element ? target.closest<HTMLElement>('[data-index]') : null
  return row ? Number(row.dataset.index) : null
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
