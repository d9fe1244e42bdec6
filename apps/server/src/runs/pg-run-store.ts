import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { text } from 'node:stream/consumers'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import type { Run } from '@profhub/api'
import type { SeriesFunctions } from '@profhub/profile'
import type { StatsTable } from '../converter/stats-table.ts'
import type { BlobStore } from './blob-store.ts'
import { CompressedCopies } from './compressed-copies.ts'
import { migratePg } from './pg-schema.ts'
import {
  deleteSeriesRows,
  insertSeriesRows,
  listRunsWithoutSeries,
  listSeriesRuns,
  readSeriesKeys,
  readSeriesRows,
  storeLater,
} from './pg-series.ts'
import { createRunId } from './run-id.ts'
import { MEMORY_FILE, originalFile, PROFILE_FILE, SOURCE_FILE } from './run-files.ts'
import type {
  NewRun,
  RunChanges,
  RunListOptions,
  RunPage,
  RunPosition,
  RunStore,
  SeriesColumns,
  SeriesRuns,
  StoredBlob,
} from './run-store.ts'
import { positionOf, type RunRow, toRun } from './sqlite-rows.ts'
import { findSourceText, StatsTables } from './stats-tables.ts'

// A store for several servers sharing one PostgreSQL database: run metadata in `runs`
// (pg-schema.ts), bytes in a BlobStore under `runs/<id>/` with the names SqliteRunStore uses
// for its files. Any server may rename or delete a run at any time, so nothing but stats
// tables (which never change) is cached: get and list always ask the database.
//
// Commit protocol: an entry in `pending_runs` first, then the blobs, then the row, inserted in
// the transaction that deletes the pending entry (the commit point). A failed create removes
// what it put; a server that died part way leaves a pending entry, and its blobs are swept
// when a server starts and finds the entry older than PENDING_EXPIRY (never sooner: another
// server may be storing that upload right now). A delete removes the row, then the blobs.

const PENDING_EXPIRY = '1 hour'

/** Serializes inserts, so that createdAt is strictly increasing across servers. */
const CREATED_AT_LOCK = 0x72756e73

function blobKey(id: string, file: string): string {
  return `runs/${id}/${file}`
}

/**
 * A row as RunRow (sqlite-rows.ts) has it, so that both stores answer the same Run: JSON
 * columns as their text, createdAt as an ISO string with milliseconds.
 */
const RUN_COLUMNS = `id, name,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
  source_format, summary::text AS summary, file_name, file_size::float8 AS file_size,
  python_version, note, source_files::text AS source_files, total_time, labels::text AS labels,
  environment::text AS environment, has_memory::int AS has_memory,
  source_paths::text AS source_paths`

/** The column each sort compares with the cursor's key (see `sortKeyOf`). */
const SORT_COLUMNS = {
  created: 'created_at',
  name: 'name_sort',
  totalTime: 'total_time',
} as const

export interface PgRunStoreOptions {
  /** Reads a local copy of a run's `profile.json` into a stats table (in a worker). */
  loadStatsTable: (file: string) => Promise<StatsTable | null>
  /** The stats tables cache's budget, in (estimated) bytes. */
  cacheBytes: number
  /** Where documents are downloaded to and compressed copies made; emptied at startup. */
  scratchDir: string
}

export class PgRunStore implements RunStore {
  readonly #pool: pg.Pool
  readonly #blobs: BlobStore
  readonly #scratchDir: string
  readonly #tables: StatsTables
  readonly #copies: CompressedCopies

  private constructor(pool: pg.Pool, blobs: BlobStore, options: PgRunStoreOptions) {
    this.#pool = pool
    this.#blobs = blobs
    this.#scratchDir = options.scratchDir
    this.#copies = new CompressedCopies(options.scratchDir)
    this.#tables = new StatsTables(options.cacheBytes, {
      exists: (id) => this.#exists(id),
      load: (id) => this.#withDocument(id, options.loadStatsTable),
    })
  }

  /** Migrates the database (one server at a time) and sweeps uploads abandoned long ago. */
  static async open(
    pool: pg.Pool,
    blobs: BlobStore,
    options: PgRunStoreOptions,
  ): Promise<PgRunStore> {
    await migratePg(pool)
    const store = new PgRunStore(pool, blobs, options)
    await store.#sweepAbandonedUploads()
    return store
  }

  async create(run: NewRun): Promise<Run> {
    const [first] = run.files
    if (first === undefined) throw new Error('a run needs at least one file')
    const id = createRunId()
    // Kept after the answer, to make the compressed copy from (see #makeCopy).
    const document = this.#documentPath(id)
    await rename(run.profilePath, document)
    let row: RunRow
    try {
      await this.#pool.query('INSERT INTO pending_runs (id) VALUES ($1)', [id])
      try {
        row = await this.#putAndInsert(id, run, document)
      } catch (error) {
        // A connection lost during COMMIT leaves it unknown whether the row went in: if it
        // did, the run is stored whole. Whatever cannot be checked or removed now keeps its
        // pending entry, for the sweep (which never touches a committed run's blobs).
        const committed = await this.#row(id).catch(() => undefined)
        if (committed === null) {
          await this.#blobs
            .deletePrefix(blobKey(id, ''))
            .then(() => this.#pool.query('DELETE FROM pending_runs WHERE id = $1', [id]))
            .catch(() => {})
        }
        if (!committed) throw error
        row = committed
      }
    } catch (error) {
      await rm(document, { force: true })
      throw error
    }
    // Ours now (the interface moves them): their bytes are blobs.
    await Promise.all(run.files.map((file) => rm(file.path, { force: true })))
    this.#makeCopy(id, { downloaded: true })
    return toRun(row)
  }

  async get(id: string): Promise<Run | null> {
    const row = await this.#row(id)
    return row === null ? null : toRun(row)
  }

  async list(query: RunListOptions): Promise<RunPage> {
    const column = SORT_COLUMNS[query.sort]
    const direction = query.order === 'asc' ? 'ASC' : 'DESC'
    const where: string[] = []
    const params: unknown[] = []
    const param = (value: unknown) => `$${params.push(value)}`
    if (query.q !== '') {
      where.push(`position(${param(foldedName(query.q))}::bytea in name_folded) > 0`)
    }
    if (query.labels.length > 0) {
      // Bound as a parameter: keys and values are data here, never part of a JSON path.
      where.push(`label_pairs @> ${param(labelPairs(query.labels))}::text[]`)
    }
    if (query.after !== null) {
      const key = param(sortKeyOf(query.after, query.sort))
      const cast = query.sort === 'created' ? '::timestamptz' : ''
      where.push(
        `(${column}, id) ${query.order === 'asc' ? '>' : '<'} (${key}${cast}, ${param(query.after.id)})`,
      )
    }
    // One extra row tells whether there is a next page.
    const { rows } = await this.#pool.query<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM runs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY ${column} ${direction}, id ${direction} LIMIT ${param(query.limit + 1)}`,
      params,
    )
    const page = rows.slice(0, query.limit)
    const last = page.at(-1)
    const next = rows.length > query.limit && last ? positionOf(last, query.sort) : null
    return { runs: page.map(toRun), next }
  }

  async update(id: string, changes: RunChanges): Promise<Run | null> {
    const sets: string[] = []
    const params: unknown[] = [id]
    const param = (value: unknown) => `$${params.push(value)}`
    if (changes.name !== undefined) {
      sets.push(
        `name = ${param(JSON.stringify(changes.name))}::json`,
        `name_sort = ${param(sortableName(changes.name))}`,
        `name_folded = ${param(foldedName(changes.name))}`,
      )
    }
    if (changes.note !== undefined) sets.push(`note = ${param(JSON.stringify(changes.note))}::json`)
    if (sets.length === 0) return this.get(id)
    const { rows } = await this.#pool.query<RunRow>(
      `UPDATE runs SET ${sets.join(', ')} WHERE id = $1 RETURNING ${RUN_COLUMNS}`,
      params,
    )
    return rows[0] === undefined ? null : toRun(rows[0])
  }

  async delete(id: string): Promise<boolean> {
    // The run's row first: a backfill storing its rows now is waited for (its lock on the row).
    const { rowCount } = await this.#transaction(async (client) => {
      const deleted = await client.query('DELETE FROM runs WHERE id = $1', [id])
      await deleteSeriesRows(client, id)
      return deleted
    })
    this.#tables.forget(id)
    if (rowCount === 0) return false
    // A copy being put now would otherwise land after the blobs are gone (#makeCopy checks too).
    await this.#copies.settle(this.#documentPath(id))
    await this.#blobs.deletePrefix(blobKey(id, ''))
    return true
  }

  async readStatsTable(id: string): Promise<StatsTable | null> {
    // A cached table may be of a run another server has deleted since.
    if (!(await this.#exists(id))) {
      this.#tables.forget(id)
      return null
    }
    return this.#tables.read(id)
  }

  async openProfileJson(id: string, encoding?: 'br'): Promise<StoredBlob | null> {
    if (encoding === undefined) return this.#openBlob(id, PROFILE_FILE)
    const blob = await this.#openBlob(id, CompressedCopies.pathOf(PROFILE_FILE))
    // Runs whose copy failed, or was not yet made when their server stopped, get one now.
    if (blob === null && (await this.#row(id)) !== null) this.#makeCopy(id, { downloaded: false })
    return blob
  }

  openMemory(id: string): Promise<StoredBlob | null> {
    return this.#openBlob(id, MEMORY_FILE)
  }

  async readSource(id: string, file: string): Promise<string | null> {
    const run = await this.get(id)
    if (run === null || !run.sourceFiles.includes(file)) return null
    // Null: deleted between the row lookup and the open.
    const blob = await this.#blobs.open(blobKey(id, SOURCE_FILE))
    return blob === null ? null : findSourceText(await text(blob.stream), file)
  }

  async openOriginal(id: string, index = 0): Promise<StoredBlob | null> {
    if (!Number.isSafeInteger(index) || index < 0) return null
    return this.#openBlob(id, originalFile(index))
  }

  async listSeries(label: [string, string], limit: number): Promise<SeriesRuns> {
    // One extra row tells whether older runs were left out.
    const rows = await listSeriesRuns(this.#pool, RUN_COLUMNS, label, limit + 1)
    return {
      runs: rows
        .slice(0, limit)
        .reverse()
        .map((row) => ({
          run: toRun(row),
          root: row.series_root === null ? '' : (JSON.parse(row.series_root) as string),
        })),
      truncated: rows.length > limit,
    }
  }

  readSeriesRows(
    runIds: readonly string[],
    keys: readonly string[] | null,
  ): Promise<Map<string, SeriesColumns>> {
    return readSeriesRows(this.#pool, runIds, keys)
  }

  readSeriesKeys(keyIds: readonly number[]): Promise<Map<number, string>> {
    return readSeriesKeys(this.#pool, keyIds)
  }

  listRunsWithoutSeries(limit: number): Promise<string[]> {
    return listRunsWithoutSeries(this.#pool, limit)
  }

  storeSeries(id: string, series: SeriesFunctions): Promise<boolean> {
    return this.#transaction((client) => storeLater(client, id, series))
  }

  async settle(): Promise<void> {
    await this.#copies.settle()
  }

  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1')
    await this.#blobs.ping()
  }

  /** Closes the blob store; the pool is the caller's. */
  async close(): Promise<void> {
    await this.#copies.close()
    await this.#blobs.close()
  }

  async #putAndInsert(id: string, run: NewRun, document: string): Promise<RunRow> {
    for (const [index, file] of run.files.entries()) {
      await this.#blobs.putFile(blobKey(id, originalFile(index)), file.path)
    }
    await this.#blobs.putFile(blobKey(id, PROFILE_FILE), document)
    const { memory, source, environment } = run.extras
    if (memory !== null) {
      await this.#blobs.putBytes(blobKey(id, MEMORY_FILE), Buffer.from(JSON.stringify(memory)))
    }
    if (source !== null) {
      await this.#blobs.putBytes(blobKey(id, SOURCE_FILE), Buffer.from(JSON.stringify(source)))
    }
    const [first] = run.files
    return this.#transaction(async (client) => {
      // Before the lock: other uploads need not wait while these rows go in.
      await insertSeriesRows(client, id, run.series)
      await client.query('SELECT pg_advisory_xact_lock($1)', [CREATED_AT_LOCK])
      // Within the lock, the newest row is committed: one millisecond after it at least.
      const { rows } = await client.query<RunRow>(
        `INSERT INTO runs (id, name, name_sort, name_folded, created_at, source_format,
             summary, total_time, file_name, file_size, python_version, source_files, labels,
             label_pairs, environment, has_memory, source_paths, series_root, series_stored)
           VALUES ($1, $2::json, $3, $4,
             greatest(date_trunc('milliseconds', clock_timestamp()),
               (SELECT max(created_at) FROM runs) + interval '1 millisecond'),
             $5, $6::json, $7, $8::json, $9, $10::json, $11::json, $12::json, $13::text[],
             $14::json, $15, $16::json, $17::json, true)
           RETURNING ${RUN_COLUMNS}`,
        [
          id,
          JSON.stringify(run.name),
          sortableName(run.name),
          foldedName(run.name),
          run.profile.sourceFormat,
          JSON.stringify(run.profile.summary),
          run.profile.summary.totalTime,
          JSON.stringify(first!.fileName),
          first!.fileSize,
          JSON.stringify(run.profile.pythonVersion),
          JSON.stringify(run.files.map((f) => ({ fileName: f.fileName, fileSize: f.fileSize }))),
          JSON.stringify(run.labels),
          labelPairs(Object.entries(run.labels)),
          environment === null ? null : JSON.stringify(environment),
          memory !== null,
          JSON.stringify(source?.files.map((file) => file.path) ?? []),
          JSON.stringify(run.series.root),
        ],
      )
      const pending = await client.query('DELETE FROM pending_runs WHERE id = $1', [id])
      // Swept as abandoned while it was stored (it took longer than PENDING_EXPIRY).
      if (pending.rowCount === 0) throw new Error(`the upload of run ${id} expired`)
      return rows[0]!
    })
  }

  /** Runs `work` in a transaction on one connection: committed if it resolves. */
  async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect()
    try {
      await client.query('BEGIN')
      try {
        const result = await work(client)
        await client.query('COMMIT')
        return result
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {})
        throw error
      }
    } finally {
      client.release()
    }
  }

  async #row(id: string): Promise<RunRow | null> {
    const { rows } = await this.#pool.query<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM runs WHERE id = $1`,
      [id],
    )
    return rows[0] ?? null
  }

  async #exists(id: string): Promise<boolean> {
    const { rowCount } = await this.#pool.query('SELECT 1 FROM runs WHERE id = $1', [id])
    return rowCount === 1
  }

  async #openBlob(id: string, file: string): Promise<StoredBlob | null> {
    if ((await this.#row(id)) === null) return null
    // Null: deleted between the row lookup and the open.
    return this.#blobs.open(blobKey(id, file))
  }

  /** Where the run's document is kept while its compressed copy is made. */
  #documentPath(id: string): string {
    return path.join(this.#scratchDir, `${id}.profile.json`)
  }

  /**
   * Downloads the run's document to a scratch file for `use` (the worker reads files), and
   * removes it afterwards; null if the run has no document any more.
   */
  async #withDocument<T>(id: string, use: (file: string) => Promise<T>): Promise<T | null> {
    const file = path.join(this.#scratchDir, `${id}-${randomBytes(6).toString('hex')}.json`)
    try {
      if (!(await this.#download(id, file))) return null
      return await use(file)
    } finally {
      await rm(file, { force: true })
    }
  }

  async #download(id: string, file: string): Promise<boolean> {
    const blob = await this.#blobs.open(blobKey(id, PROFILE_FILE))
    if (blob === null) return false
    await pipeline(blob.stream, createWriteStream(file))
    return true
  }

  /**
   * Makes the compressed copy from the local document (`downloaded`: already there, as after
   * `create`; else fetched first) and puts it as a blob. A run deleted meanwhile loses it again.
   */
  #makeCopy(id: string, { downloaded }: { downloaded: boolean }): void {
    const document = this.#documentPath(id)
    this.#copies.make(document, {
      prepare: async () => {
        if (!downloaded && !(await this.#download(id, document))) {
          throw new Error(`run ${id} has no document`)
        }
      },
      place: async (copy) => {
        const key = blobKey(id, CompressedCopies.pathOf(PROFILE_FILE))
        await this.#blobs.putFile(key, copy)
        if ((await this.#row(id)) === null) await this.#blobs.deletePrefix(blobKey(id, ''))
      },
      done: () => rm(document, { force: true }),
    })
  }

  async #sweepAbandonedUploads(): Promise<void> {
    const { rows } = await this.#pool.query<{ id: string }>(
      `SELECT id FROM pending_runs WHERE started_at < now() - interval '${PENDING_EXPIRY}'`,
    )
    for (const { id } of rows) {
      await this.#blobs.deletePrefix(blobKey(id, ''))
      await this.#pool.query('DELETE FROM pending_runs WHERE id = $1', [id])
    }
  }
}

/** Labels as `label_pairs` holds them: JSON text has no U+0000, which a `text` cannot hold. */
function labelPairs(labels: [string, string][]): string[] {
  return labels.map((pair) => JSON.stringify(pair))
}

/** The cursor's key as the sort column holds it. */
function sortKeyOf(position: RunPosition, sort: RunListOptions['sort']): unknown {
  return sort === 'name' ? sortableName(String(position.key)) : position.key
}

/** As SQLite's NOCASE compares: A-Z folded to a-z, then UTF-8 bytes (code point order). */
function sortableName(name: string): Buffer {
  return Buffer.from(
    name.replace(/[A-Z]+/g, (letters) => letters.toLowerCase()),
    'utf8',
  )
}

/** Names are searched case-insensitively beyond ASCII, as SqliteRunStore does. */
function foldedName(name: string): Buffer {
  return Buffer.from(name.toLowerCase(), 'utf8')
}
