import { useDeferredValue, useMemo, type ReactNode } from 'react'
import { computeMatchCounts, type FunctionMatching, type MatchCounts } from '@profhub/profile'
import { formatCount } from '../../format.ts'
import type { HistoryMode } from '../../navigation.ts'
import { selectCompareWidestText, selectSortedCompareRows } from '../../selectors.ts'
import type { CompareSortState } from '../../url-state.ts'
import commonStyles from '../common/common.module.css'
import { FunctionName } from '../common/FunctionName.tsx'
import { VirtualTable, type TableColumn } from '../common/VirtualTable.tsx'
import {
  defaultCompareDirection,
  filterCompareRows,
  formatCompareCell,
  type CompareColumn,
  type CompareNumberKey,
  type CompareRow,
  type CompareSortKey,
} from '../../compare-rows.ts'
import styles from './CompareTable.module.css'

type Side = 'before' | 'after' | 'change' | 'percent'

const GROUPS: { group: CompareColumn; description: string }[] = [
  { group: 'ncalls', description: 'Calls (total/primitive when recursive)' },
  { group: 'tottime', description: 'Time in the function itself, seconds' },
  { group: 'cumtime', description: 'Time in the function and its callees, seconds' },
]

/**
 * Each group's columns. In a narrow table the first run's values give way first, then the
 * second run's: the changes and the function stay.
 */
const SIDES: { side: Side; label: string; suffix?: string; description: string; hide?: number }[] =
  [
    { side: 'before', label: 'before', description: 'in the first run', hide: 2 },
    { side: 'after', label: 'after', description: 'in the second run', hide: 1 },
    {
      side: 'change',
      label: 'change',
      description: 'after − before (sorts by its size, either way)',
    },
    {
      side: 'percent',
      // `ncalls % change`: not `ncalls change %`, which a search for `ncalls change` also finds.
      label: '%',
      suffix: 'change',
      description: 'the change in percent of before (sorts by its size, either way)',
    },
  ]

const Missing = () => (
  <>
    <span aria-hidden="true">–</span>
    <span className={commonStyles.visuallyHidden}>not in this run</span>
  </>
)

/** A change's direction, for its colour; one that rounds to nothing has none. */
function tone(text: string | null): 'more' | 'less' | undefined {
  if (text === null || !/[1-9]/.test(text)) return undefined
  return text.startsWith('+') ? 'more' : text.startsWith('-') ? 'less' : undefined
}

const BADGES: Record<Exclude<CompareRow['status'], 'both'>, string> = {
  added: 'only in the second run',
  removed: 'only in the first run',
  moved: 'same file and name, another line',
}

function FunctionCell({ row }: { row: CompareRow }): ReactNode {
  return (
    <>
      {row.status !== 'both' && (
        <span className={styles.badge} data-status={row.status} title={BADGES[row.status]}>
          {row.status === 'moved' ? `moved from line ${row.lineBefore}` : row.status}
        </span>
      )}
      {row.status !== 'both' && <span className={commonStyles.visuallyHidden}>: </span>}
      <FunctionName fn={row} className={styles.name} />
    </>
  )
}

/**
 * The columns: `ncalls before`, `ncalls after`, `ncalls change`, `ncalls % change`, then the
 * same for tottime and cumtime, then the function. The group is visible once above its
 * columns and repeated, visually hidden, in each header's accessible name.
 */
const COLUMNS: TableColumn<CompareRow, CompareSortKey>[] = [
  ...GROUPS.flatMap(({ group, description }) =>
    SIDES.map((s): TableColumn<CompareRow, CompareSortKey> => {
      const key = `${group}-${s.side}` as CompareNumberKey
      const changing = s.side === 'change' || s.side === 'percent'
      return {
        key,
        label: s.label,
        labelPrefix: group,
        labelSuffix: s.suffix,
        group,
        description: `${description}, ${s.description}`,
        kind: 'number',
        cell: (row) => {
          const text = formatCompareCell(row, key)
          return text === null && !changing ? <Missing /> : text
        },
        tone: changing ? (row) => tone(formatCompareCell(row, key)) : undefined,
        hideOrder: s.hide,
      }
    }),
  ),
  {
    key: 'function',
    label: 'filename:lineno(function)',
    description: 'Where the function is (in the second run)',
    kind: 'label',
    cell: (row) => <FunctionCell row={row} />,
  },
]

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
 * One row per function of either run: ncalls, tottime and cumtime before, after, the change
 * and the change in percent (see VirtualTable).
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
  const sorted = selectSortedCompareRows(all, sort.key, sort.direction)
  const deferredSearch = useDeferredValue(search)
  const rows = useMemo(() => filterCompareRows(sorted, deferredSearch), [sorted, deferredSearch])
  const selectedPos = useMemo(
    () => (selected === null ? -1 : rows.findIndex((r) => r.key === selected)),
    [rows, selected],
  )
  const counts = useMemo(() => computeMatchCounts(matching), [matching])
  const how = formatMatchedHow(counts)

  return (
    <VirtualTable
      name="Changes by function"
      columns={COLUMNS}
      widest={selectCompareWidestText(all)}
      rows={rows}
      count={rows.length}
      rowAt={(position: number) => rows[position]}
      total={all.length}
      selectedPos={selectedPos}
      sort={sort}
      defaultDirection={defaultCompareDirection}
      onSort={onSort}
      onSelect={onSelect}
      search={deferredSearch}
      stale={deferredSearch !== search}
      status={(row) => row.status}
      countBefore={
        <>
          <span title={how ? `Matched ${how}` : undefined}>
            {formatCount(counts.matched)} matched · {formatCount(counts.added)} added ·{' '}
            {formatCount(counts.removed)} removed
          </span>
          {' · '}
        </>
      }
      countAfter={
        how && (
          <>
            <br />({how})
          </>
        )
      }
    />
  )
}
