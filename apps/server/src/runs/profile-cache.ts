import type { StatsTable } from '../converter/stats-table.ts'

/**
 * The stats tables of the last runs asked for, so that paging and sorting the stats table
 * does not re-read and re-parse a big JSON file on every request. Bounded by an estimate of
 * their memory (`StatsTable.bytes`; a 100k-function profile's table is estimated at about 30 MB) and by
 * count; least recently used first out.
 */
export class ProfileCache {
  readonly #entries = new Map<string, StatsTable>()
  readonly #maxBytes: number
  readonly #maxEntries: number
  #bytes = 0

  constructor(maxBytes = 200 * 1024 * 1024, maxEntries = 32) {
    this.#maxBytes = maxBytes
    this.#maxEntries = maxEntries
  }

  /** The estimated bytes of the tables kept. */
  get bytes(): number {
    return this.#bytes
  }

  get(id: string): StatsTable | undefined {
    const table = this.#entries.get(id)
    if (table === undefined) return undefined
    // Map keeps insertion order: re-inserting makes this the most recently used.
    this.#entries.delete(id)
    this.#entries.set(id, table)
    return table
  }

  /** Keeps `table` unless it alone is over the budget; evicts the least recently used. */
  set(id: string, table: StatsTable): void {
    this.delete(id)
    if (table.bytes > this.#maxBytes) return
    this.#entries.set(id, table)
    this.#bytes += table.bytes
    for (const [oldest, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break
      this.#entries.delete(oldest)
      this.#bytes -= entry.bytes
    }
  }

  delete(id: string): void {
    const table = this.#entries.get(id)
    if (table === undefined) return
    this.#entries.delete(id)
    this.#bytes -= table.bytes
  }
}
