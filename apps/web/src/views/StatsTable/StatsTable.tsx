import { useDeferredValue, useMemo } from 'react'
import { formatNcalls, formatSeconds, type ProfileDocument } from '@profhub/profile'
import type { HistoryMode } from '../../navigation.ts'
import {
  selectSearchText,
  selectSortedOrder,
  selectTableRow,
  selectTableWidestText,
} from '../../selectors.ts'
import type { SortState } from '../../url-state.ts'
import { FunctionName } from '../common/FunctionName.tsx'
import { VirtualTable, type TableColumn } from '../common/VirtualTable.tsx'
import {
  defaultTableDirection,
  filterTableIndices,
  type TableRow,
  type TableSortKey,
} from '../../table-rows.ts'

/**
 * pstats' columns, in pstats' order; `label` is each header's accessible name. The per-call
 * times give way first in a narrow table (they are the others divided by ncalls).
 */
const COLUMNS: TableColumn<TableRow, TableSortKey>[] = [
  {
    key: 'ncalls',
    label: 'ncalls',
    description: 'Calls (total/primitive when recursive)',
    kind: 'number',
    cell: formatNcalls,
  },
  {
    key: 'tottime',
    label: 'tottime',
    description: 'Time in the function itself, seconds',
    kind: 'number',
    cell: (row) => formatSeconds(row.tottime),
  },
  {
    key: 'tottime-percall',
    label: 'percall',
    description: 'tottime per call (tottime / ncalls)',
    kind: 'number',
    cell: (row) => formatSeconds(row.tottimePerCall),
    hideOrder: 1,
  },
  {
    key: 'cumtime',
    label: 'cumtime',
    description: 'Time in the function and its callees',
    kind: 'number',
    cell: (row) => formatSeconds(row.cumtime),
  },
  {
    key: 'cumtime-percall',
    label: 'percall',
    description: 'cumtime per primitive call (cumtime / primitive calls)',
    kind: 'number',
    cell: (row) => formatSeconds(row.cumtimePerCall),
    hideOrder: 1,
  },
  {
    key: 'function',
    label: 'filename:lineno(function)',
    description: 'Where the function is',
    kind: 'label',
    cell: (row) => <FunctionName fn={row} />,
  },
]

interface StatsTableProps {
  profile: ProfileDocument
  sort: SortState
  search: string
  selectedIndex: number | null
  onSort: (sort: SortState) => void
  onSelect: (key: string, mode: HistoryMode) => void
}

/** The pstats table of one profile (see VirtualTable). */
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
  const selectedPos = useMemo(
    () => (selectedIndex === null ? -1 : rows.indexOf(selectedIndex)),
    [rows, selectedIndex],
  )
  const rowAt = (pos: number): TableRow | undefined => {
    const index = rows[pos]
    return index === undefined ? undefined : selectTableRow(profile, index)
  }

  return (
    <VirtualTable
      name="Functions"
      columns={COLUMNS}
      widest={selectTableWidestText(profile)}
      rows={rows}
      count={rows.length}
      rowAt={rowAt}
      total={profile.functions.length}
      selectedPos={selectedPos}
      sort={sort}
      defaultDirection={defaultTableDirection}
      onSort={onSort}
      onSelect={onSelect}
      search={deferredSearch}
      stale={deferredSearch !== search}
    />
  )
}
