import type { ProfileDocument } from '@profhub/profile'

/**
 * The last few parsed profiles, so that paging and sorting the stats table does not re-read
 * and re-parse a big JSON file on every request. Bounded by count and by total size (in
 * functions + edges), since one 100k-function profile alone takes a few hundred MB parsed.
 */
export class ProfileCache {
  readonly #entries = new Map<string, { document: ProfileDocument; weight: number }>()
  readonly #maxEntries: number
  readonly #maxWeight: number
  #weight = 0

  constructor(maxEntries = 8, maxWeight = 1_000_000) {
    this.#maxEntries = maxEntries
    this.#maxWeight = maxWeight
  }

  get(id: string): ProfileDocument | undefined {
    const entry = this.#entries.get(id)
    if (entry === undefined) return undefined
    // Map keeps insertion order: re-inserting makes this the most recently used.
    this.#entries.delete(id)
    this.#entries.set(id, entry)
    return entry.document
  }

  set(id: string, document: ProfileDocument): void {
    this.delete(id)
    const weight = document.functions.length + document.edges.length
    if (weight > this.#maxWeight) return
    this.#entries.set(id, { document, weight })
    this.#weight += weight
    for (const [oldest, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#weight <= this.#maxWeight) break
      this.#entries.delete(oldest)
      this.#weight -= entry.weight
    }
  }

  delete(id: string): void {
    const entry = this.#entries.get(id)
    if (entry === undefined) return
    this.#entries.delete(id)
    this.#weight -= entry.weight
  }
}
