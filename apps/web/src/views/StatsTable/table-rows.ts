import {
  compareByKey,
  cumtimePerCall,
  filterStatRows,
  formatFunctionLabel,
  sortStatRows,
  tottimePerCall,
  type FunctionStats,
  type SortDirection,
} from '@profhub/profile'
import { functionKey } from '../../profile-index.ts'

/**
 * The stats table's rows and their sort/filter, as pure functions over plain arrays: nothing here
 * touches React or the DOM, so the work can move to a Web Worker when 100k-row sorts (~100 ms on
 * the main thread) become a problem.
 */

/** The table's columns, in pstats order. The label column sorts like pstats' `nfl`. */
export const TABLE_SORT_KEYS = [
  'ncalls',
  'tottime',
  'tottime-percall',
  'cumtime',
  'cumtime-percall',
  'function',
] as const
export type TableSortKey = (typeof TABLE_SORT_KEYS)[number]

export function isTableSortKey(value: unknown): value is TableSortKey {
  return typeof value === 'string' && (TABLE_SORT_KEYS as readonly string[]).includes(value)
}

/** Numbers sort largest first on the first click, the label column A→Z. */
export function defaultTableDirection(key: TableSortKey): SortDirection {
  return key === 'function' ? 'asc' : 'desc'
}

export interface TableRow extends FunctionStats {
  /** Index into the profile's `functions` (and thus into its edges). */
  index: number
  /** Stable across uploads of the same program: what the URL stores. */
  key: string
  /** `filename:lineno(function)` as pstats prints it (raw text: escape it for display). */
  label: string
  tottimePerCall: number | null
  cumtimePerCall: number | null
}

export function computeTableRows(functions: readonly FunctionStats[]): TableRow[] {
  return functions.map((f, index) => ({
    ...f,
    index,
    key: functionKey(f),
    label: formatFunctionLabel(f),
    tottimePerCall: tottimePerCall(f),
    cumtimePerCall: cumtimePerCall(f),
  }))
}

/** A function never called (ncalls 0) has no per-call time: it sorts below every real value. */
function compareNullable(a: number | null, b: number | null): number {
  if (a === b) return 0
  if (a === null) return -1
  if (b === null) return 1
  return a - b
}

/** Sorted copy. Ties are broken by (file, line, name) ascending whatever the direction. */
export function sortTableRows(
  rows: readonly TableRow[],
  key: TableSortKey,
  direction: SortDirection = defaultTableDirection(key),
): TableRow[] {
  switch (key) {
    case 'ncalls':
    case 'tottime':
    case 'cumtime':
      return sortStatRows(rows, key, direction)
    case 'function':
      // sortStatRows' `file` orders by file then line, and its tie-breaker adds the name.
      return sortStatRows(rows, 'file', direction)
    case 'tottime-percall':
    case 'cumtime-percall': {
      const field = key === 'tottime-percall' ? 'tottimePerCall' : 'cumtimePerCall'
      const sign = direction === 'asc' ? 1 : -1
      return rows
        .slice()
        .sort((a, b) => sign * compareNullable(a[field], b[field]) || compareByKey(a, b))
    }
  }
}

/** Rows whose name or file contains `text`, ignoring case; keeps the input order. */
export function filterTableRows(rows: readonly TableRow[], text: string): readonly TableRow[] {
  return text.trim() === '' ? rows : filterStatRows(rows, text)
}
