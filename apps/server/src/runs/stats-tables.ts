import type { SourceBundle } from '@profhub/api'
import type { StatsTable } from '../converter/stats-table.ts'
import { BoundedCache } from './bounded-cache.ts'

/** How a store reaches a run's table: whether its row exists, and a load of its document. */
export interface StatsTableSource {
  exists(id: string): Promise<boolean>
  /** Builds the run's table from its stored document (off the event loop); null if it is gone. */
  load(id: string): Promise<StatsTable | null>
}

/** At most this many tables are kept, whatever their size. */
const MAX_TABLES = 1024

/**
 * The stats tables of a store's runs: cached (a run's profile never changes), one load shared
 * by concurrent requests, and never kept for a run deleted while its table was loading.
 */
export class StatsTables {
  readonly #cache: BoundedCache<StatsTable>
  readonly #source: StatsTableSource
  readonly #loading = new Map<string, Promise<StatsTable | null>>()

  constructor(cacheBytes: number, source: StatsTableSource) {
    this.#cache = new BoundedCache((table) => table.bytes, cacheBytes, MAX_TABLES)
    this.#source = source
  }

  read(id: string): Promise<StatsTable | null> {
    const cached = this.#cache.get(id)
    if (cached !== undefined) return Promise.resolve(cached)
    let loading = this.#loading.get(id)
    if (loading === undefined) {
      loading = this.#load(id).finally(() => this.#loading.delete(id))
      this.#loading.set(id, loading)
    }
    return loading
  }

  /** Drops the table of a run being deleted. */
  forget(id: string): void {
    this.#cache.delete(id)
  }

  async #load(id: string): Promise<StatsTable | null> {
    if (!(await this.#source.exists(id))) return null
    const table = await this.#source.load(id)
    // Deleted while it was loading: do not keep it.
    if (table !== null && (await this.#source.exists(id))) this.#cache.set(id, table)
    return table
  }
}

/** One file's text from a stored `source.json` (a SourceBundle), or null if it has none. */
export function findSourceText(bundleJson: string, file: string): string | null {
  const bundle = JSON.parse(bundleJson) as SourceBundle
  return bundle.files.find((entry) => entry.path === file)?.text ?? null
}
