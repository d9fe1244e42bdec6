import {
  compareByKey,
  cumtimePerCall,
  filterStatRows,
  formatFunctionLabel,
  formatNcalls,
  formatSeconds,
  sortStatRows,
  splitFunctionLabel,
  tottimePerCall,
  type FunctionStats,
  type SortDirection,
} from '@profhub/profile'
import { functionKey } from './profile-index.ts'

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
  return functions.map(computeTableRow)
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

/** One table row, built when it is first shown (building all 100k takes ~120 ms). */
export function computeTableRow(f: FunctionStats, index: number): TableRow {
  return {
    ...f,
    index,
    key: functionKey(f),
    label: formatFunctionLabel(f),
    tottimePerCall: tottimePerCall(f),
    cumtimePerCall: cumtimePerCall(f),
  }
}

/*
 * The fast path: the table sorts function indices (typed arrays) with numeric comparators over
 * typed columns, computed once per profile. The tie-breaker (file, line, name) is precomputed as
 * each function's rank in that order, so ties cost one integer comparison instead of up to three
 * string comparisons. The order is exactly `sortTableRows`' (the test checks it).
 */

type SortColumn = Exclude<TableSortKey, 'function'>

export interface TableColumns {
  count: number
  /** Each function's position in (file, line, name) order (`compareByKey`). */
  keyRank: Int32Array
  /** The function indices in (file, line, name) order: `keyRank`'s inverse. */
  keyOrder: Int32Array
  /** Each function's (file, line) group, numbered in key order: equal file and line, equal group. */
  fileLineGroup: Int32Array
  /** Numeric sort columns; a missing per-call time (0 calls) is -Infinity, below every value. */
  values: Record<SortColumn, Float64Array>
}

// Code-unit order, as `compareByKey` (not localeCompare).
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function computeTableColumns(functions: readonly FunctionStats[]): TableColumns {
  const count = functions.length
  // Files repeat (one per module): rank the distinct ones, then compare integers.
  const fileIds = new Map<string, number>()
  const fileOf = new Int32Array(count)
  const files: string[] = []
  for (let i = 0; i < count; i++) {
    const file = functions[i]!.file
    let id = fileIds.get(file)
    if (id === undefined) {
      id = files.length
      files.push(file)
      fileIds.set(file, id)
    }
    fileOf[i] = id
  }
  const fileOrder = files.map((_, i) => i).sort((a, b) => compareText(files[a]!, files[b]!))
  const fileRank = new Int32Array(files.length)
  fileOrder.forEach((id, rank) => (fileRank[id] = rank))

  const lines = new Float64Array(count)
  const ncalls = new Float64Array(count)
  const tottime = new Float64Array(count)
  const cumtime = new Float64Array(count)
  const tottimePer = new Float64Array(count)
  const cumtimePer = new Float64Array(count)
  const keyOrder = new Int32Array(count)
  for (let i = 0; i < count; i++) {
    const f = functions[i]!
    fileOf[i] = fileRank[fileOf[i]!]!
    lines[i] = f.line
    ncalls[i] = f.ncalls
    tottime[i] = f.tottime
    cumtime[i] = f.cumtime
    tottimePer[i] = tottimePerCall(f) ?? -Infinity
    cumtimePer[i] = cumtimePerCall(f) ?? -Infinity
    keyOrder[i] = i
  }
  // Equal keys (never seen: pstats keys are unique) keep their input order, like a stable sort.
  keyOrder.sort(
    (a, b) =>
      fileOf[a]! - fileOf[b]! ||
      lines[a]! - lines[b]! ||
      compareText(functions[a]!.name, functions[b]!.name) ||
      a - b,
  )
  const keyRank = new Int32Array(count)
  const fileLineGroup = new Int32Array(count)
  let group = -1
  for (let rank = 0; rank < count; rank++) {
    const i = keyOrder[rank]!
    keyRank[i] = rank
    const prev = rank > 0 ? keyOrder[rank - 1]! : -1
    if (prev < 0 || fileOf[prev] !== fileOf[i] || lines[prev] !== lines[i]) group++
    fileLineGroup[i] = group
  }
  return {
    count,
    keyRank,
    keyOrder,
    fileLineGroup,
    values: {
      ncalls,
      tottime,
      cumtime,
      'tottime-percall': tottimePer,
      'cumtime-percall': cumtimePer,
    },
  }
}

/** Function indices in the table's order: `sortTableRows`' order, much faster (no strings). */
export function sortTableIndices(
  columns: TableColumns,
  key: TableSortKey,
  direction: SortDirection = defaultTableDirection(key),
): Int32Array {
  const { keyRank: rank, keyOrder } = columns
  const order = keyOrder.slice()
  if (key === 'function') {
    // Ascending is the key order itself; descending reverses (file, line) but keeps names A→Z.
    if (direction === 'desc') {
      const group = columns.fileLineGroup
      order.sort((a, b) => group[b]! - group[a]! || rank[a]! - rank[b]!)
    }
    return order
  }
  // `order` starts in key order and the sort is stable: ties stay broken by (file, line, name).
  return sortByValue(order, columns.values[key], direction === 'desc')
}

const SIGN = 0x80000000

/**
 * `order` stably sorted by `values[index]` (a least-significant-digit radix sort on the numbers'
 * bits, four 16-bit digits: ~5 ms for 100k where a comparator sort takes ~40 ms in Chromium).
 * Equal values (also -0 and 0, like a subtraction) keep their order in `order`. Values must not
 * be NaN (times and counts never are; a missing per-call time is -Infinity).
 */
export function sortByValue(
  order: Int32Array,
  values: Float64Array,
  descending: boolean,
): Int32Array {
  const n = order.length
  if (n < 2) return order
  // Each value's bits as two unsigned words that order like the numbers (IEEE 754: flip the
  // sign bit of positives, every bit of negatives), complemented for descending.
  const bits = new Float64Array(1)
  const words = new Uint32Array(bits.buffer)
  const lowWord = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1
  const hi = new Uint32Array(values.length)
  const lo = new Uint32Array(values.length)
  const flip = descending ? 0xffffffff : 0
  for (let k = 0; k < n; k++) {
    const i = order[k]!
    bits[0] = values[i]! + 0 // -0 → 0
    let h = words[1 - lowWord]!
    let l = words[lowWord]!
    if (h & SIGN) {
      h = ~h
      l = ~l
    } else h |= SIGN
    hi[i] = (h ^ flip) >>> 0
    lo[i] = (l ^ flip) >>> 0
  }
  const counts = new Uint32Array(0x10000)
  let from: Int32Array = order
  let to: Int32Array = new Int32Array(n)
  for (let pass = 0; pass < 4; pass++) {
    const key = pass < 2 ? lo : hi
    const shift = pass % 2 === 0 ? 0 : 16
    counts.fill(0)
    for (let k = 0; k < n; k++) counts[(key[from[k]!]! >>> shift) & 0xffff]!++
    // A digit every value shares changes nothing.
    if (counts[(key[from[0]!]! >>> shift) & 0xffff] === n) continue
    let sum = 0
    for (let d = 0; d < 0x10000; d++) {
      const c = counts[d]!
      counts[d] = sum
      sum += c
    }
    for (let k = 0; k < n; k++) {
      const i = from[k]!
      to[counts[(key[i]! >>> shift) & 0xffff]!++] = i
    }
    ;[from, to] = [to, from]
  }
  return from
}

/** Lower-cased names and files, for the search (files repeat: each is lower-cased once). */
export interface SearchText {
  names: readonly string[]
  files: readonly string[]
}

export function computeSearchText(functions: readonly FunctionStats[]): SearchText {
  const lowered = new Map<string, string>()
  const files = functions.map((f) => {
    let file = lowered.get(f.file)
    if (file === undefined) lowered.set(f.file, (file = f.file.toLowerCase()))
    return file
  })
  return { names: functions.map((f) => f.name.toLowerCase()), files }
}

/**
 * The indices of `order` whose function's name or file contains `text`, ignoring case, in
 * `order`'s order (what `filterTableRows` keeps); `order` itself for an empty search.
 */
export function filterTableIndices(
  order: Int32Array,
  search: SearchText,
  text: string,
): Int32Array {
  const needle = text.trim().toLowerCase()
  if (needle === '') return order
  const { names, files } = search
  const kept = new Int32Array(order.length)
  let n = 0
  for (const i of order) {
    if (names[i]!.includes(needle) || files[i]!.includes(needle)) kept[n++] = i
  }
  return kept.slice(0, n)
}

export type TableNumberKey = Exclude<TableSortKey, 'function'>

/**
 * Each number column's widest text over all functions (sizes the columns, so `212296/212268`
 * is never cut), and the widest function name (`splitFunctionLabel`'s `rest`). Worked out from the largest values, not by formatting 100k rows: digits are
 * equally wide (tabular), so `%.3f` of the largest time is the widest time.
 */
export function computeTableWidestText(
  functions: readonly FunctionStats[],
): Record<TableSortKey, string> {
  let widestName = -1
  let nameChars = 0
  let ncalls = '0'
  let tottime = 0
  let cumtime = 0
  let tottimePer = 0
  let cumtimePer = 0
  for (let i = 0; i < functions.length; i++) {
    const f = functions[i]!
    const calls =
      String(f.ncalls).length +
      (f.ncalls === f.primitiveCalls ? 0 : 1 + String(f.primitiveCalls).length)
    if (calls > ncalls.length) ncalls = formatNcalls(f)
    const chars = nameLength(f)
    if (chars > nameChars) [nameChars, widestName] = [chars, i]
    if (f.tottime > tottime) tottime = f.tottime
    if (f.cumtime > cumtime) cumtime = f.cumtime
    tottimePer = Math.max(tottimePer, tottimePerCall(f) ?? 0)
    cumtimePer = Math.max(cumtimePer, cumtimePerCall(f) ?? 0)
  }
  return {
    ncalls,
    tottime: formatSeconds(tottime),
    'tottime-percall': formatSeconds(tottimePer),
    cumtime: formatSeconds(cumtime),
    'cumtime-percall': formatSeconds(cumtimePer),
    function: widestName < 0 ? '' : splitFunctionLabel(functions[widestName]!).rest,
  }
}

/**
 * The length of the part of a function's label that names it (`:12(parse)`, or a built-in's
 * whole `{method 'get' of 'dict' objects}`: `splitFunctionLabel`'s `rest`), without building it.
 */
export function nameLength(f: Pick<FunctionStats, 'file' | 'line' | 'name'>): number {
  return f.file === '~' && f.line === 0 ? f.name.length : String(f.line).length + f.name.length + 3
}
