import type { FunctionStats } from './pstats.ts'

/** A stats-table row: one pstats entry. The same shape the HTTP API returns as `StatRow`. */
export type StatRow = Pick<
  FunctionStats,
  'file' | 'line' | 'name' | 'ncalls' | 'primitiveCalls' | 'tottime' | 'cumtime'
>

export const STAT_SORT_KEYS = ['cumtime', 'tottime', 'ncalls', 'name', 'file'] as const
export type StatSortKey = (typeof STAT_SORT_KEYS)[number]
export type SortDirection = 'asc' | 'desc'

export function isStatSortKey(value: unknown): value is StatSortKey {
  return typeof value === 'string' && (STAT_SORT_KEYS as readonly string[]).includes(value)
}

/** Numbers sort largest first, text A→Z, unless told otherwise (pstats and the API agree). */
export function defaultDirection(key: StatSortKey): SortDirection {
  return key === 'name' || key === 'file' ? 'asc' : 'desc'
}

// Code-unit order, not localeCompare: stable across machines and locales, and it is what
// Python's sort does for the BMP.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The tie-breaker the contract fixes: file, then line, then name, ascending. */
export function compareByKey(a: StatRow, b: StatRow): number {
  return compareText(a.file, b.file) || a.line - b.line || compareText(a.name, b.name)
}

function compareColumn(key: StatSortKey, a: StatRow, b: StatRow): number {
  switch (key) {
    case 'name':
      return compareText(a.name, b.name)
    case 'file':
      return compareText(a.file, b.file) || a.line - b.line
    default:
      return a[key] - b[key]
  }
}

/** Sorted copy; ties are always broken by (file, line, name) ascending, whatever the direction. */
export function sortStatRows<T extends StatRow>(
  rows: readonly T[],
  key: StatSortKey,
  direction: SortDirection = defaultDirection(key),
): T[] {
  const sign = direction === 'asc' ? 1 : -1
  return rows.slice().sort((a, b) => sign * compareColumn(key, a, b) || compareByKey(a, b))
}

/** Rows whose name or file contains `text`, ignoring case. Empty text keeps every row. */
export function filterStatRows<T extends StatRow>(rows: readonly T[], text: string): T[] {
  const needle = text.trim().toLowerCase()
  if (needle === '') return rows.slice()
  return rows.filter(
    (row) => row.name.toLowerCase().includes(needle) || row.file.toLowerCase().includes(needle),
  )
}
