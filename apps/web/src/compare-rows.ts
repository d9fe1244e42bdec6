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
import { sliceSteps } from './steps.ts'
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
  return diff.functions.map(computeCompareRow)
}

/** One row of `computeCompareRows` (a page builds 100k of them a slice at a time). */
export function computeCompareRow(row: FunctionDiff): CompareRow {
  const line = row.lineAfter ?? row.lineBefore ?? 0
  const at = { file: row.file, line, name: row.name }
  // Spelled out rather than spread: one object shape, ~2× faster on 20k rows.
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
  let sorted: CompareRow[] = []
  for (const step of sortCompareRowsInSteps(rows, key, direction, rows.length, (s) => (sorted = s)))
    step()
  return sorted
}

/**
 * `sortCompareRows` as steps to run in order, each over at most `size` rows (all but the radix
 * sort itself, ~5 ms for 100k), so that a page can answer between them; the last one calls
 * `done` with the sorted rows.
 */
export function sortCompareRowsInSteps(
  rows: readonly CompareRow[],
  key: CompareSortKey,
  direction: SortDirection,
  size: number,
  done: (sorted: CompareRow[]) => void,
): (() => void)[] {
  let keyed = rows
  const inKeyOrder = () => {
    for (let i = 1; i < rows.length; i++) {
      if (compareByKey(rows[i - 1]!, rows[i]!) > 0) {
        keyed = rows.slice().sort(compareByKey)
        break
      }
    }
  }
  if (key === 'function') return [inKeyOrder, () => done(sortByFunction(keyed, direction))]
  const [column, side] = key.split('-') as [CompareColumn, Side]
  const values = new Float64Array(rows.length)
  const slices = sliceSteps(rows.length, size, (from, to) => {
    // A missing value sorts below every number.
    for (let i = from; i < to; i++) values[i] = sortValue(keyed[i]!, column, side) ?? -Infinity
  })
  const order = () => {
    const identity = new Int32Array(keyed.length)
    for (let i = 0; i < identity.length; i++) identity[i] = i
    const sorted = sortByValue(identity, values, direction === 'desc')
    const out = new Array<CompareRow>(sorted.length)
    for (let i = 0; i < sorted.length; i++) out[i] = keyed[sorted[i]!]!
    done(out)
  }
  return [inKeyOrder, ...slices, order]
}

/** Rows in key order (`keyed`) in the function column's order. */
function sortByFunction(keyed: readonly CompareRow[], direction: SortDirection): CompareRow[] {
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
  return formatCell(row, column, side)
}

function formatCell(row: CompareRow, column: CompareColumn, side: Side): string | null {
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

const NUMBER_KEYS = COMPARE_SORT_KEYS.filter((k): k is CompareNumberKey => k !== 'function')
/** The number columns' keys split once (1.2M `split`s for 100k rows are garbage to collect). */
const NUMBER_CELLS = NUMBER_KEYS.map(
  (key) => [key, ...key.split('-')] as [CompareNumberKey, CompareColumn, Side],
)

/** What `scanCompareWidestText` has found so far: the widest texts, the longest name's row. */
export interface CompareWidestScan {
  texts: Record<CompareNumberKey, string>
  name: CompareRow | null
}

export function startCompareWidestScan(): CompareWidestScan {
  const texts = Object.fromEntries(NUMBER_KEYS.map((k) => [k, '0']))
  return { texts: texts as Record<CompareNumberKey, string>, name: null }
}

/**
 * Goes on with `scan` over `rows[from..to)`. Scanning the rows in consecutive slices finds what
 * one scan over all of them does (the first of the widest texts wins either way): 100k rows ×
 * 12 cells take ~0.2–0.4 s, too long for one task of the page.
 */
export function scanCompareWidestText(
  scan: CompareWidestScan,
  rows: readonly CompareRow[],
  from = 0,
  to = rows.length,
): void {
  const { texts } = scan
  for (let i = from; i < to; i++) {
    const row = rows[i]!
    if (!scan.name || nameLength(row) > nameLength(scan.name)) scan.name = row
    for (const [key, column, side] of NUMBER_CELLS) {
      const text = formatCell(row, column, side)
      if (text !== null && text.length > texts[key].length) texts[key] = text
    }
  }
}

/** Each column's widest text once every row is scanned (see `computeCompareWidestText`). */
export function finishCompareWidestScan(scan: CompareWidestScan): Record<CompareSortKey, string> {
  return { ...scan.texts, function: scan.name ? splitFunctionLabel(scan.name).rest : '' }
}

/**
 * Each number column's widest text over `rows` (sizes the columns), and the widest function
 * name (`splitFunctionLabel`'s `rest`).
 */
export function computeCompareWidestText(
  rows: readonly CompareRow[],
): Record<CompareSortKey, string> {
  const scan = startCompareWidestScan()
  scanCompareWidestText(scan, rows)
  return finishCompareWidestScan(scan)
}
