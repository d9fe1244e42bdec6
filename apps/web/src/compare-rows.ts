import {
  formatFunctionLabel,
  formatSeconds,
  splitFunctionLabel,
  type Change,
  type FunctionDiff,
  type ProfileDiff,
  type SortDirection,
} from '@profhub/profile'
import { formatSignedCount, formatSignedSeconds } from './diff-text.ts'
import { functionKey } from './profile-index.ts'
import { nameLength } from './table-rows.ts'
import { sortByValue } from './table-rows.ts'

/**
 * The compare table's rows and their sort/filter, pure (like StatsTable/table-rows.ts): one row
 * per function of either run (`diffProfiles`), with ncalls, tottime and cumtime before, after and
 * the change.
 */

export const COMPARE_SORT_KEYS = [
  'ncalls-before',
  'ncalls-after',
  'ncalls-change',
  'tottime-before',
  'tottime-after',
  'tottime-change',
  'cumtime-before',
  'cumtime-after',
  'cumtime-change',
  'function',
  'ncalls-percent',
  'tottime-percent',
  'cumtime-percent',
] as const
export type CompareSortKey = (typeof COMPARE_SORT_KEYS)[number]

export function isCompareSortKey(value: unknown): value is CompareSortKey {
  return typeof value === 'string' && (COMPARE_SORT_KEYS as readonly string[]).includes(value)
}

/** Numbers sort largest first on the first click, the label column A→Z. */
export function defaultCompareDirection(key: CompareSortKey): SortDirection {
  return key === 'function' ? 'asc' : 'desc'
}

export interface CompareRow extends FunctionDiff {
  /** Where the function is now (before's line for a removed one): the row's position. */
  line: number
  /** The function's key (see `functionKey`) in after, or in before when removed: what `fn` holds. */
  key: string
  /** `filename:lineno(function)` at `line` (raw text: escape it for display). */
  label: string
}

export function computeCompareRows(diff: ProfileDiff): CompareRow[] {
  // Spelled out rather than spread: one object shape, ~2× faster on 20k rows.
  return diff.functions.map((row) => {
    const line = row.lineAfter ?? row.lineBefore ?? 0
    const at = { file: row.file, line, name: row.name }
    return {
      status: row.status,
      file: row.file,
      name: row.name,
      lineBefore: row.lineBefore,
      lineAfter: row.lineAfter,
      beforeIndex: row.beforeIndex,
      afterIndex: row.afterIndex,
      ncalls: row.ncalls,
      primitiveCalls: row.primitiveCalls,
      tottime: row.tottime,
      cumtime: row.cumtime,
      line,
      key: functionKey(at),
      label: formatFunctionLabel(at),
    }
  })
}

export type CompareColumn = 'ncalls' | 'tottime' | 'cumtime'
type Side = 'before' | 'after' | 'change' | 'percent'

/**
 * The change in percent of the first run's value (`-50` for half as many calls), or null when
 * there is none to give: a function in one run only (its badge says added or removed), or
 * nothing before (0 → something is no percentage). 0 → 0 is 0 %.
 */
export function computePercentChange(row: FunctionDiff, column: CompareColumn): number | null {
  if (row.beforeIndex === null || row.afterIndex === null) return null
  const c: Change = row[column]
  if (c.before === 0) return c.change === 0 ? 0 : null
  return (100 * c.change) / c.before
}

/**
 * The value a column sorts by. A run the function is missing from has no value there (null: below
 * every number, as a never-called function's per-call time in the stats table). A change column
 * sorts by the size of the change, either way: the biggest wins and losses come first together;
 * so does a percent column.
 */
function sortValue(row: CompareRow, column: CompareColumn, side: Side) {
  const c: Change = row[column]
  if (side === 'change') return Math.abs(c.change)
  if (side === 'percent') {
    const percent = computePercentChange(row, column)
    return percent === null ? null : Math.abs(percent)
  }
  const present = side === 'before' ? row.beforeIndex !== null : row.afterIndex !== null
  return present ? c[side] : null
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** The stats table's tie-breaker: file, line, name, in code-unit order. */
function compareByKey(a: CompareRow, b: CompareRow): number {
  return compareText(a.file, b.file) || a.line - b.line || compareText(a.name, b.name)
}

/**
 * Sorted copy. Ties are broken by (file, line, name) ascending whatever the direction. Numbers
 * go through `sortByValue` (a radix sort over the rows in key order: a comparator sort of 100k
 * rows held the page ~0.4 s); rows come in key order from `computeCompareRows`.
 */
export function sortCompareRows(
  rows: readonly CompareRow[],
  key: CompareSortKey,
  direction: SortDirection = defaultCompareDirection(key),
): CompareRow[] {
  let keyed = rows
  for (let i = 1; i < rows.length; i++) {
    if (compareByKey(rows[i - 1]!, rows[i]!) > 0) {
      keyed = rows.slice().sort(compareByKey)
      break
    }
  }
  if (key === 'function') {
    if (direction === 'asc') return keyed.slice()
    // Reversed, but rows of one key keep their order (as a stable sort leaves ties).
    const reversed: CompareRow[] = []
    for (let end = keyed.length, i = end - 1; i >= 0; i--) {
      if (i > 0 && compareByKey(keyed[i - 1]!, keyed[i]!) === 0) continue
      for (let j = i; j < end; j++) reversed.push(keyed[j]!)
      end = i
    }
    return reversed
  }
  const [column, side] = key.split('-') as [CompareColumn, Side]
  // A missing value sorts below every number.
  const values = Float64Array.from(keyed, (row) => sortValue(row, column, side) ?? -Infinity)
  const order = sortByValue(
    Int32Array.from(keyed, (_, i) => i),
    values,
    direction === 'desc',
  )
  return Array.from(order, (i) => keyed[i]!)
}

/** Rows whose name or file contains `text`, ignoring case; keeps the input order. */
export function filterCompareRows(
  rows: readonly CompareRow[],
  text: string,
): readonly CompareRow[] {
  const needle = text.trim().toLowerCase()
  if (needle === '') return rows
  return rows.filter(
    (row) => row.name.toLowerCase().includes(needle) || row.file.toLowerCase().includes(needle),
  )
}

/**
 * `-91.7 %`, `+1333 %`, `+4.5 %`, `0 %`: whole percents from 100 up (a table column has little
 * room), one decimal from 10, two significant digits below.
 */
export function formatPercent(percent: number): string {
  const size = Math.abs(percent)
  const text =
    size >= 100
      ? size.toFixed(0)
      : size >= 10
        ? size.toFixed(1)
        : size === 0
          ? '0'
          : size.toPrecision(2)
  return `${percent > 0 && text !== '0' ? '+' : percent < 0 && text !== '0' ? '-' : ''}${text} %`
}

export type CompareNumberKey = Exclude<CompareSortKey, 'function'>

/** `12` or pstats' `12/3` (total/primitive) for recursive functions. */
function formatCalls(row: CompareRow, side: 'before' | 'after'): string {
  const total = row.ncalls[side]
  const primitive = row.primitiveCalls[side]
  return total === primitive ? String(total) : `${total}/${primitive}`
}

/**
 * A number cell's text: `212296/212268`, `0.123`, `+0.004`, `-50.0 %`; null for a run the
 * function is not in, and for a percentage there is none of (see `computePercentChange`).
 */
export function formatCompareCell(row: CompareRow, key: CompareNumberKey): string | null {
  const [column, side] = key.split('-') as [CompareColumn, Side]
  const c: Change = row[column]
  switch (side) {
    case 'before':
    case 'after': {
      if ((side === 'before' ? row.beforeIndex : row.afterIndex) === null) return null
      return column === 'ncalls' ? formatCalls(row, side) : formatSeconds(c[side])
    }
    case 'change':
      return column === 'ncalls' ? formatSignedCount(c.change) : formatSignedSeconds(c.change)
    case 'percent': {
      const percent = computePercentChange(row, column)
      return percent === null ? null : formatPercent(percent)
    }
  }
}

/**
 * Each number column's widest text over `rows` (sizes the columns), and the widest function
 * name (`splitFunctionLabel`'s `rest`).
 */
export function computeCompareWidestText(
  rows: readonly CompareRow[],
): Record<CompareSortKey, string> {
  const keys = COMPARE_SORT_KEYS.filter((k): k is CompareNumberKey => k !== 'function')
  const widest = Object.fromEntries(keys.map((k) => [k, '0'])) as Record<CompareSortKey, string>
  let widestName: CompareRow | null = null
  for (const row of rows) {
    if (!widestName || nameLength(row) > nameLength(widestName)) widestName = row
    for (const key of keys) {
      const text = formatCompareCell(row, key)
      if (text !== null && text.length > widest[key].length) widest[key] = text
    }
  }
  widest.function = widestName ? splitFunctionLabel(widestName).rest : ''
  return widest
}
