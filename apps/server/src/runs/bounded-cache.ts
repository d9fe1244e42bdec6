/**
 * Values by key, bounded by an estimate of their memory (`sizeOf`, which counts the key too
 * where keys can be long) and by count; least recently used first out. Keeps the stats tables of the last runs asked for (a 100k-function
 * profile's table is estimated at about 30 MB) and the /stats answers as sent.
 */
export class BoundedCache<V> {
  readonly #entries = new Map<string, V>()
  readonly #sizes = new Map<string, number>()
  readonly #maxBytes: number
  readonly #maxEntries: number
  readonly #sizeOf: (value: V, key: string) => number
  #bytes = 0

  constructor(sizeOf: (value: V, key: string) => number, maxBytes: number, maxEntries = Infinity) {
    this.#sizeOf = sizeOf
    this.#maxBytes = maxBytes
    this.#maxEntries = maxEntries
  }

  /** The estimated bytes of the values kept. */
  get bytes(): number {
    return this.#bytes
  }

  get(key: string): V | undefined {
    const value = this.#entries.get(key)
    if (value === undefined) return undefined
    // Map keeps insertion order: re-inserting makes this the most recently used.
    this.#entries.delete(key)
    this.#entries.set(key, value)
    return value
  }

  /** Keeps `value` unless it alone is over the budget; evicts the least recently used. */
  set(key: string, value: V): void {
    this.delete(key)
    const size = this.#sizeOf(value, key)
    if (size > this.#maxBytes) return
    this.#entries.set(key, value)
    this.#sizes.set(key, size)
    this.#bytes += size
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break
      this.delete(oldest)
    }
  }

  delete(key: string): void {
    const size = this.#sizes.get(key)
    if (size === undefined) return
    this.#entries.delete(key)
    this.#sizes.delete(key)
    this.#bytes -= size
  }

  /** Drops every value whose key starts with `prefix`. */
  deleteWhere(prefix: string): void {
    for (const key of [...this.#entries.keys()]) if (key.startsWith(prefix)) this.delete(key)
  }
}
