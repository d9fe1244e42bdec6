import { open } from 'node:fs/promises'
import { Readable } from 'node:stream'
import type pg from 'pg'
import type { BlobStore } from './blob-store.ts'
import type { StoredBlob } from './run-store.ts'

/**
 * Blobs in PostgreSQL itself (tables `blobs` and `blob_chunks`, made by pg-schema.ts), for a
 * server with a database and no object store. A blob is cut into 1 MiB chunks, written in one
 * transaction and read back one chunk per query, so that a 200 MB upload is never one value in
 * memory (here or in the database's), and a slow download holds no connection between chunks.
 * The pool is the caller's: `close` leaves it open.
 */
export class PgBlobs implements BlobStore {
  static readonly CHUNK_BYTES = 1024 * 1024
  readonly #pool: pg.Pool

  constructor(pool: pg.Pool) {
    this.#pool = pool
  }

  async putFile(key: string, file: string): Promise<void> {
    const handle = await open(file, 'r')
    try {
      await this.#put(key, async function* () {
        const buffer = Buffer.alloc(PgBlobs.CHUNK_BYTES)
        for (;;) {
          // Fills the chunk: a short read is not the end of the file.
          let filled = 0
          while (filled < buffer.length) {
            const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled)
            if (bytesRead === 0) break
            filled += bytesRead
          }
          if (filled > 0) yield buffer.subarray(0, filled)
          if (filled < buffer.length) return
        }
      })
    } finally {
      await handle.close()
    }
  }

  async putBytes(key: string, bytes: Uint8Array): Promise<void> {
    await this.#put(key, function* () {
      for (let start = 0; start < bytes.length; start += PgBlobs.CHUNK_BYTES) {
        yield bytes.subarray(start, start + PgBlobs.CHUNK_BYTES)
      }
    })
  }

  async open(key: string): Promise<StoredBlob | null> {
    const { rows } = await this.#pool.query<{ size: string; chunks: number }>(
      'SELECT size, chunks FROM blobs WHERE key = $1',
      [key],
    )
    const blob = rows[0]
    if (blob === undefined) return null
    return { stream: Readable.from(this.#chunks(key, blob.chunks)), size: Number(blob.size) }
  }

  async deletePrefix(prefix: string): Promise<void> {
    // LIKE with the prefix's own wildcards escaped; a C-collated key's index serves it.
    const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    await this.#transaction(async (client) => {
      await client.query('DELETE FROM blobs WHERE key LIKE $1', [pattern])
      await client.query('DELETE FROM blob_chunks WHERE key LIKE $1', [pattern])
    })
  }

  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1 FROM blobs LIMIT 1')
  }

  async close(): Promise<void> {}

  /**
   * Replaces the blob `key` in one transaction: readers see the whole old one or the whole
   * new one. Two writers of one key (two servers making the same compressed copy) take turns.
   */
  async #put(key: string, chunks: () => Iterable<Uint8Array> | AsyncIterable<Uint8Array>) {
    await this.#transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key])
      await client.query('DELETE FROM blobs WHERE key = $1', [key])
      await client.query('DELETE FROM blob_chunks WHERE key = $1', [key])
      let seq = 0
      let size = 0
      for await (const chunk of chunks()) {
        await client.query('INSERT INTO blob_chunks (key, seq, data) VALUES ($1, $2, $3)', [
          key,
          seq,
          Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
        ])
        seq += 1
        size += chunk.byteLength
      }
      await client.query('INSERT INTO blobs (key, size, chunks) VALUES ($1, $2, $3)', [
        key,
        size,
        seq,
      ])
    })
  }

  async *#chunks(key: string, count: number): AsyncGenerator<Buffer> {
    for (let seq = 0; seq < count; seq += 1) {
      const { rows } = await this.#pool.query<{ data: Buffer }>(
        'SELECT data FROM blob_chunks WHERE key = $1 AND seq = $2',
        [key, seq],
      )
      // Deleted part way: the reader gets an error rather than a short blob.
      if (rows[0] === undefined) throw new Error(`blob ${key} was deleted while it was read`)
      yield rows[0].data
    }
  }

  async #transaction(work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    const client = await this.#pool.connect()
    try {
      await client.query('BEGIN')
      try {
        await work(client)
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {})
        throw error
      }
    } finally {
      client.release()
    }
  }
}
