import type { StatRow, StatSortKey, StoredProfileDocument } from '@profhub/profile'

/**
 * A profile's function table in columns, with every sort order of `/stats` worked out once
 * (`orders[key]`: row indices in the order `sortStatRows(rows, key)` gives). Built in a worker
 * thread (`statsColumnsOf`) and sent back with its typed arrays transferred; a request is
 * then a filter and a slice, not a sort.
 */
export interface StatsColumns {
  names: string[]
  files: string[]
  line: Float64Array
  ncalls: Float64Array
  primitiveCalls: Float64Array
  tottime: Float64Array
  cumtime: Float64Array
  orders: Record<StatSortKey, Int32Array>
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The columns and sort orders of a stored document's functions, whatever its version. */
export function statsColumnsOf(doc: StoredProfileDocument): StatsColumns {
  if (doc.formatVersion === 1) return buildStatsColumns(doc.functions)
  const { strings, functions } = doc
  return withOrders({
    names: functions.name.map((index) => strings[index]!),
    files: functions.file.map((index) => strings[index]!),
    line: Float64Array.from(functions.line),
    ncalls: Float64Array.from(functions.ncalls),
    primitiveCalls: Float64Array.from(functions.primitiveCalls),
    tottime: Float64Array.from(functions.tottime),
    cumtime: Float64Array.from(functions.cumtime),
  })
}

/** The columns and sort orders of `functions` (the same orders as `sortStatRows`). */
export function buildStatsColumns(functions: readonly StatRow[]): StatsColumns {
  const column = (pick: (row: StatRow) => number) => Float64Array.from(functions, pick)
  return withOrders({
    names: functions.map((row) => row.name),
    files: functions.map((row) => row.file),
    line: column((row) => row.line),
    ncalls: column((row) => row.ncalls),
    primitiveCalls: column((row) => row.primitiveCalls),
    tottime: column((row) => row.tottime),
    cumtime: column((row) => row.cumtime),
  })
}

function withOrders(columns: Omit<StatsColumns, 'orders'>): StatsColumns {
  const { names, files, line, ncalls, tottime, cumtime } = columns
  const count = names.length
  const identity = () => Int32Array.from({ length: count }, (_, index) => index)
  // The contract's tie-breaker (file, line, name ascending); sorting by file is exactly this.
  const byKey = identity().sort(
    (a, b) =>
      compareText(files[a]!, files[b]!) || line[a]! - line[b]! || compareText(names[a]!, names[b]!),
  )
  const rank = new Int32Array(count)
  byKey.forEach((row, position) => (rank[row] = position))
  const descending = (values: Float64Array) =>
    identity().sort((a, b) => values[b]! - values[a]! || rank[a]! - rank[b]!)
  return {
    ...columns,
    orders: {
      cumtime: descending(cumtime),
      tottime: descending(tottime),
      ncalls: descending(ncalls),
      name: identity().sort((a, b) => compareText(names[a]!, names[b]!) || rank[a]! - rank[b]!),
      file: byKey,
    },
  }
}

/** The typed arrays' buffers, to transfer rather than copy. */
export function transferListOf(columns: StatsColumns): ArrayBuffer[] {
  const { line, ncalls, primitiveCalls, tottime, cumtime, orders } = columns
  return [line, ncalls, primitiveCalls, tottime, cumtime, ...Object.values(orders)].map(
    (array) => array.buffer as ArrayBuffer,
  )
}

/** Filters whose matches a table keeps (`#matchesOf`), least recently used first out. */
const FILTERS_KEPT = 16
// Per row: 5 numbers (8 bytes), 5 orders (4), two string slots and object headers, the
// lower-cased copies a filter makes, the kept filters' match flags (1 each) and the row's JSON
// text (about 120 characters besides its name and file); string contents are counted from
// their lengths.
const BYTES_PER_ROW = 5 * 8 + 5 * 4 + 4 * 8 + 4 * 16 + FILTERS_KEPT + 16 + 120 * 2
const BYTES_PER_CHAR = 3 * 2

export class StatsTable {
  readonly #columns: StatsColumns
  #lowerNames: string[] | null = null
  #lowerFiles: string[] | null = null
  /**
   * Which rows each recent filter matches (1: a match), by lower-cased filter. Readers page,
   * sort and re-ask with the same filter; finding its matches is the costly part (two
   * substring searches per row), walking an order and reading a flag is not.
   */
  readonly #matchesByFilter = new Map<string, Uint8Array>()
  /** Each row's JSON text once written (`#rowJson`): big answers repeat the same rows. */
  readonly #rowJsonText: (string | undefined)[]
  /** An estimate of the memory the table takes, for the cache's budget. */
  readonly bytes: number

  constructor(columns: StatsColumns) {
    this.#columns = columns
    this.#rowJsonText = new Array<string | undefined>(columns.names.length)
    let chars = 0
    for (const name of columns.names) chars += name.length
    for (const file of columns.files) chars += file.length
    this.bytes = columns.names.length * BYTES_PER_ROW + chars * BYTES_PER_CHAR
  }

  get rowCount(): number {
    return this.#columns.names.length
  }

  /**
   * The first `limit` rows in `sort` order whose name or file contains `filter` ignoring case
   * (as `sortStatRows(filterStatRows(rows, filter), sort).slice(0, limit)`).
   */
  query(sort: StatSortKey, filter: string, limit: number): StatRow[] {
    const rows: StatRow[] = []
    for (const index of this.#matches(sort, filter, limit)) rows.push(this.#row(index))
    return rows
  }

  /**
   * `{rows: query(sort, filter, limit)}` as JSON text, the same bytes as `JSON.stringify`
   * writes, in pieces of at most `rowsPerPiece` rows. A big answer is written a piece at a
   * time as the connection takes it: 20,000 rows are 3 MB of JSON, which built as objects and
   * serialized at once held the event loop (and every other request) for 50–250 ms.
   */
  *queryJson(sort: StatSortKey, filter: string, limit: number, rowsPerPiece = 500) {
    let piece = '{"rows":['
    let count = 0
    for (const index of this.#matches(sort, filter, limit)) {
      if (count > 0) piece += ','
      piece += this.#rowJson(index)
      if (++count % rowsPerPiece === 0) {
        yield piece
        piece = ''
      }
    }
    yield piece + ']}'
  }

  /** The row indices of `query`'s answer, in order. */
  *#matches(sort: StatSortKey, filter: string, limit: number): Generator<number> {
    const order = this.#columns.orders[sort]
    const needle = filter.trim().toLowerCase()
    let found = 0
    if (needle === '') {
      for (let i = 0; i < order.length && found < limit; i++, found++) yield order[i]!
      return
    }
    const matches = this.#matchesOf(needle)
    for (let i = 0; i < order.length && found < limit; i++) {
      const index = order[i]!
      if (matches[index] === 1) {
        found++
        yield index
      }
    }
  }

  /** The rows whose name or file contains `needle` (lower-cased), as flags by row index. */
  #matchesOf(needle: string): Uint8Array {
    let matches = this.#matchesByFilter.get(needle)
    if (matches !== undefined) {
      // Map keeps insertion order: re-inserting makes this the most recently used.
      this.#matchesByFilter.delete(needle)
      this.#matchesByFilter.set(needle, matches)
      return matches
    }
    this.#lowerNames ??= this.#columns.names.map((name) => name.toLowerCase())
    this.#lowerFiles ??= this.#columns.files.map((file) => file.toLowerCase())
    const names = this.#lowerNames
    const files = this.#lowerFiles
    matches = new Uint8Array(names.length)
    for (let index = 0; index < names.length; index++) {
      if (names[index]!.includes(needle) || files[index]!.includes(needle)) matches[index] = 1
    }
    this.#matchesByFilter.set(needle, matches)
    if (this.#matchesByFilter.size > FILTERS_KEPT) {
      this.#matchesByFilter.delete(this.#matchesByFilter.keys().next().value!)
    }
    return matches
  }

  /** `JSON.stringify(this.#row(index))`, without making the object. */
  #rowJson(index: number): string {
    return (this.#rowJsonText[index] ??= this.#writeRowJson(index))
  }

  #writeRowJson(index: number): string {
    const c = this.#columns
    return (
      `{"file":${JSON.stringify(c.files[index])},"line":${c.line[index]},` +
      `"name":${JSON.stringify(c.names[index])},"ncalls":${c.ncalls[index]},` +
      `"primitiveCalls":${c.primitiveCalls[index]},"tottime":${JSON.stringify(c.tottime[index])},` +
      `"cumtime":${JSON.stringify(c.cumtime[index])}}`
    )
  }

  /** Row `index` (0 ≤ index < rowCount), in the document's order of functions. */
  row(index: number): StatRow {
    return this.#row(index)
  }

  #row(index: number): StatRow {
    const c = this.#columns
    return {
      file: c.files[index]!,
      line: c.line[index]!,
      name: c.names[index]!,
      ncalls: c.ncalls[index]!,
      primitiveCalls: c.primitiveCalls[index]!,
      tottime: c.tottime[index]!,
      cumtime: c.cumtime[index]!,
    }
  }
}
