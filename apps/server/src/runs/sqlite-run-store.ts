import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { setImmediate } from 'node:timers/promises'
import Database from 'better-sqlite3'
import type { Run, SourceFile } from '@profhub/api'
import { CompressedCopies } from './compressed-copies.ts'
import { moveFileDurably, syncDirectory, writeNewFileDurably } from './durable-files.ts'
import { createRunId } from './run-id.ts'
import { MEMORY_FILE, originalFile, PROFILE_FILE, SOURCE_FILE } from './run-files.ts'
import type { StatsTable } from '../converter/stats-table.ts'
import type { SeriesFunctions } from '@profhub/profile'
import type {
  NewRun,
  RunChanges,
  RunListOptions,
  RunPage,
  RunStore,
  SeriesColumns,
  SeriesRuns,
  StoredBlob,
} from './run-store.ts'
import { migrate } from './sqlite-schema.ts'
import { SqliteSeries } from './sqlite-series.ts'
import { findSourceText, StatsTables } from './stats-tables.ts'
import { positionOf, type RunRow, toRun } from './sqlite-rows.ts'

/**
 * Stored files are read in chunks of this size: a 4 MB profile is 16 reads, not 64 (each read is
 * a promise and a socket write on the event loop).
 */
const READ_CHUNK_BYTES = 256 * 1024
/**
 * A new run's series rows are inserted this many to a transaction, other requests served in
 * between: the 20,000 rows of a 20k-function profile in one transaction held the event loop
 * for about 150 ms.
 */
const ROWS_PER_STEP = 250

// The embedded store. Layout under DATA_DIR (one server process per DATA_DIR):
//   profhub.sqlite              run metadata (WAL; schema in sqlite-schema.ts)
//   runs/<id>/original.prof     the uploaded bytes (the first file of a merged run)
//   runs/<id>/original-<i>.prof the other files of a merged run, i = 1, 2, … in upload order
//   runs/<id>/profile.json      the converted document
//   runs/<id>/profile.json.br   its brotli copy, made after the run is stored (compressed-copies.ts)
//   runs/<id>/memory.json       the `memory` part as checked and re-serialized (if sent)
//   runs/<id>/source.json       the `source` part, likewise: {formatVersion, files: [{path, text}]}
// A run's files are made durable before its row is inserted, and its row is deleted before
// its files, so the row is the commit point: a directory without a row is garbage.

/** SQL for each sort: the column (with its collation) compared with the cursor's key. */
const SORT_COLUMNS = {
  created: 'created_at',
  // ASCII case folding: sorts "alpha" next to "Alpha"; other letters sort by code point.
  name: 'name COLLATE NOCASE',
  totalTime: 'total_time',
} as const

export interface SqliteRunStoreOptions {
  /** Reads a stored `profile.json` into a stats table (in a worker); null if it is gone. */
  loadStatsTable: (file: string) => Promise<StatsTable | null>
  /** The stats tables cache's budget, in (estimated) bytes. */
  cacheBytes: number
  /** Where compressed copies are written before they are moved into place; emptied at startup. */
  scratchDir: string
}

export class SqliteRunStore implements RunStore {
  readonly #db: Database.Database
  readonly #runsDir: string
  readonly #tables: StatsTables
  readonly #copies: CompressedCopies
  /** Keeps createdAt strictly increasing, so "newest first" is the upload order. */
  #lastCreatedAt: number
  /** Prepared once per SQL text: preparing again on every request cost more than the query. */
  readonly #statements = new Map<string, Database.Statement>()
  readonly #walFile: string
  readonly #series: SqliteSeries

  private constructor(db: Database.Database, dataDir: string, options: SqliteRunStoreOptions) {
    this.#db = db
    this.#runsDir = path.join(dataDir, 'runs')
    this.#tables = new StatsTables(options.cacheBytes, {
      exists: async (id) => (await this.get(id)) !== null,
      load: (id) => options.loadStatsTable(path.join(this.#runsDir, id, PROFILE_FILE)),
    })
    this.#copies = new CompressedCopies(options.scratchDir)
    this.#walFile = `${db.name}-wal`
    this.#series = new SqliteSeries((sql) => this.#statement(sql))
    const newest = db.prepare('SELECT max(created_at) AS t FROM runs').get() as { t: string | null }
    this.#lastCreatedAt = newest.t === null ? 0 : Date.parse(newest.t)
  }

  /** Opens (or creates) the store and removes the files of runs that were never committed. */
  static async open(dataDir: string, options: SqliteRunStoreOptions): Promise<SqliteRunStore> {
    await mkdir(path.join(dataDir, 'runs'), { recursive: true })
    const db = new Database(path.join(dataDir, 'profhub.sqlite'))
    try {
      db.pragma('journal_mode = WAL')
      // NORMAL: a commit is written to the WAL but not flushed, so it survives the server's
      // crash; `create` flushes the WAL itself, off the event loop, before it answers, so that
      // an acknowledged upload survives a power cut too. FULL flushed on the main thread:
      // under a burst of uploads, 10–100 ms of blocked event loop per upload.
      db.pragma('synchronous = NORMAL')
      migrate(db)
      db.function('profhub_fold', { deterministic: true }, (text: unknown) =>
        typeof text === 'string' ? foldCase(text) : text,
      )
      const store = new SqliteRunStore(db, dataDir, options)
      await store.#removeUncommittedRuns()
      return store
    } catch (error) {
      db.close()
      throw error
    }
  }

  async create(run: NewRun): Promise<Run> {
    const [first] = run.files
    if (first === undefined) throw new Error('a run needs at least one file')
    const id = createRunId()
    const dir = path.join(this.#runsDir, id)
    await mkdir(dir)
    let row: RunRow
    try {
      for (const [index, file] of run.files.entries()) {
        await moveFileDurably(file.path, dir, originalFile(index))
      }
      await moveFileDurably(run.profilePath, dir, PROFILE_FILE)
      const { memory, source, environment } = run.extras
      if (memory !== null) await writeNewFileDurably(dir, MEMORY_FILE, JSON.stringify(memory))
      if (source !== null) await writeNewFileDurably(dir, SOURCE_FILE, JSON.stringify(source))
      if (memory !== null || source !== null) await syncDirectory(dir)
      await syncDirectory(this.#runsDir)
      const files: SourceFile[] = run.files.map((f) => ({
        fileName: f.fileName,
        fileSize: f.fileSize,
      }))
      row = {
        id,
        name: run.name,
        created_at: this.#nextCreatedAt(),
        source_format: run.profile.sourceFormat,
        summary: JSON.stringify(run.profile.summary),
        file_name: first.fileName,
        file_size: first.fileSize,
        python_version: run.profile.pythonVersion,
        note: '',
        source_files: JSON.stringify(files),
        total_time: run.profile.summary.totalTime,
        labels: JSON.stringify(run.labels),
        environment: environment === null ? null : JSON.stringify(environment),
        has_memory: memory === null ? 0 : 1,
        source_paths: JSON.stringify(source?.files.map((file) => file.path) ?? []),
      }
      const inserted = row
      // The series rows first, a step at a time (see ROWS_PER_STEP), then the run's row with the
      // last of them in one transaction: the run is seen with all its rows or not at all.
      const keyIds = await this.#insertSeriesRowsInSteps(id, run.series)
      this.#db.transaction(() => {
        this.#statement(
          `INSERT INTO runs (id, name, created_at, source_format, summary, file_name, file_size,
             python_version, note, source_files, total_time, labels, environment, has_memory,
             source_paths, series_root, series_stored)
           VALUES (@id, @name, @created_at, @source_format, @summary, @file_name, @file_size,
             @python_version, @note, @source_files, @total_time, @labels, @environment,
             @has_memory, @source_paths, @series_root, 1)`,
        ).run({ ...inserted, series_root: run.series.root })
        this.#series.insertLabels(id, inserted.created_at, run.labels)
        this.#series.insertPacked(id, keyIds, run.series)
      })()
    } catch (error) {
      // Rows left by a failed step go now, or at the next start (unfinishedRuns).
      try {
        this.#db.transaction(() => this.#series.deleteRun(id))()
      } catch {
        // The database refuses writes (a full disk): the next start removes them.
      }
      await rm(dir, { recursive: true, force: true })
      throw error
    }
    try {
      await this.#flushCommits()
    } catch (error) {
      // All or nothing, as when the INSERT itself flushed: no run that may not last.
      await this.delete(id).catch(() => {})
      throw error
    }
    // Not cached: the table is built when /stats first asks for it.
    this.#copies.make(path.join(dir, PROFILE_FILE))
    return toRun(row)
  }

  async get(id: string): Promise<Run | null> {
    const row = this.#statement('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined
    return row === undefined ? null : toRun(row)
  }

  async list(query: RunListOptions): Promise<RunPage> {
    const column = SORT_COLUMNS[query.sort]
    const direction = query.order === 'asc' ? 'ASC' : 'DESC'
    const where: string[] = []
    const params: (string | number)[] = []
    if (query.q !== '') {
      where.push('instr(profhub_fold(name), ?) > 0')
      params.push(foldCase(query.q))
    }
    for (const [key, value] of query.labels) {
      // Bound as parameters: a key is data here, never part of a JSON path.
      where.push('EXISTS (SELECT 1 FROM json_each(labels) WHERE key = ? AND value = ?)')
      params.push(key, value)
    }
    if (query.after !== null) {
      where.push(`(${column}, id) ${query.order === 'asc' ? '>' : '<'} (?, ?)`)
      params.push(query.after.key, query.after.id)
    }
    // One extra row tells whether there is a next page.
    const rows = this.#statement(
      `SELECT * FROM runs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY ${column} ${direction}, id ${direction} LIMIT ?`,
    ).all(...params, query.limit + 1) as RunRow[]
    const page = rows.slice(0, query.limit)
    const last = page.at(-1)
    const next = rows.length > query.limit && last ? positionOf(last, query.sort) : null
    return { runs: page.map(toRun), next }
  }

  async update(id: string, changes: RunChanges): Promise<Run | null> {
    const sets = Object.entries({ name: changes.name, note: changes.note }).filter(
      ([, value]) => value !== undefined,
    )
    if (sets.length > 0) {
      this.#db
        .prepare(
          `UPDATE runs SET ${sets.map(([column]) => `${column} = ?`).join(', ')} WHERE id = ?`,
        )
        .run(...sets.map(([, value]) => value), id)
      await this.#flushCommits()
    }
    return this.get(id)
  }

  async delete(id: string): Promise<boolean> {
    const { changes } = this.#db.transaction(() => {
      this.#series.deleteRun(id)
      return this.#statement('DELETE FROM runs WHERE id = ?').run(id)
    })()
    this.#tables.forget(id)
    if (changes === 0) return false
    // The row goes for good before the files do: a run never comes back without them.
    await this.#flushCommits()
    // A copy renamed into the directory while it is being removed would make the removal fail.
    await this.#copies.settle(path.join(this.#runsDir, id, PROFILE_FILE))
    await rm(path.join(this.#runsDir, id), { recursive: true, force: true })
    return true
  }

  async readStatsTable(id: string): Promise<StatsTable | null> {
    return this.#tables.read(id)
  }

  async openProfileJson(id: string, encoding?: 'br'): Promise<StoredBlob | null> {
    if (encoding === undefined) return this.#openBlob(id, PROFILE_FILE)
    const blob = await this.#openBlob(id, CompressedCopies.pathOf(PROFILE_FILE))
    // Runs stored before copies existed, or whose copy a crash lost, get one now.
    if (blob === null && (await this.get(id)) !== null) {
      this.#copies.make(path.join(this.#runsDir, id, PROFILE_FILE))
    }
    return blob
  }

  async openMemory(id: string): Promise<StoredBlob | null> {
    return this.#openBlob(id, MEMORY_FILE)
  }

  async readSource(id: string, file: string): Promise<string | null> {
    const run = await this.get(id)
    if (run === null || !run.sourceFiles.includes(file)) return null
    let text: string
    try {
      text = await readFile(path.join(this.#runsDir, id, SOURCE_FILE), 'utf8')
    } catch (error) {
      // Deleted between the row lookup and the read.
      if (isNotFound(error)) return null
      throw error
    }
    return findSourceText(text, file)
  }

  async openOriginal(id: string, index = 0): Promise<StoredBlob | null> {
    if (!Number.isSafeInteger(index) || index < 0) return null
    return this.#openBlob(id, originalFile(index))
  }

  async listSeries(label: [string, string], limit: number): Promise<SeriesRuns> {
    // One extra row tells whether older runs were left out.
    const rows = this.#series.listRuns(label, limit + 1)
    return {
      runs: rows
        .slice(0, limit)
        .reverse()
        .map((row) => ({ run: toRun(row), root: row.series_root ?? '' })),
      truncated: rows.length > limit,
    }
  }

  async readSeriesRows(
    runIds: readonly string[],
    keys: readonly string[] | null,
  ): Promise<Map<string, SeriesColumns>> {
    if (keys !== null) return this.#series.readKeyRows(runIds, keys)
    const result = new Map<string, SeriesColumns>()
    for (const runId of new Set(runIds)) {
      const columns = this.#series.readRunRows(runId)
      if (columns !== null) result.set(runId, columns)
      // Run by run (about 20 ms for 20,000 rows): requests are answered in between.
      await setImmediate()
    }
    return result
  }

  async readSeriesKeys(keyIds: readonly number[]): Promise<Map<number, string>> {
    return this.#series.readKeys(keyIds)
  }

  async listRunsWithoutSeries(limit: number): Promise<string[]> {
    return this.#series.runsWithoutRows(limit)
  }

  async storeSeries(id: string, series: SeriesFunctions): Promise<boolean> {
    const stored = this.#db.transaction(() => this.#series.storeLater(id, series))()
    if (stored) await this.#flushCommits()
    return stored
  }

  async settle(): Promise<void> {
    await this.#copies.settle()
  }

  async ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get()
  }

  async close(): Promise<void> {
    await this.#copies.close()
    this.#db.close()
  }

  async #openBlob(id: string, file: string): Promise<StoredBlob | null> {
    if ((await this.get(id)) === null) return null
    try {
      const handle = await open(path.join(this.#runsDir, id, file), 'r')
      const { size } = await handle.stat()
      return { stream: handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES }), size }
    } catch (error) {
      // Deleted between the row lookup and the open.
      if (isNotFound(error)) return null
      throw error
    }
  }

  #statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql)
    if (statement === undefined) this.#statements.set(sql, (statement = this.#db.prepare(sql)))
    return statement
  }

  /**
   * Flushes the WAL (the commits written to it so far) to disk from libuv's threads. A commit
   * that a checkpoint has already copied out of the WAL is durable too: with synchronous=NORMAL
   * SQLite flushes the WAL before a checkpoint and the database file after it.
   */
  async #flushCommits(): Promise<void> {
    const handle = await open(this.#walFile, 'r+')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  }

  #nextCreatedAt(): string {
    this.#lastCreatedAt = Math.max(Date.now(), this.#lastCreatedAt + 1)
    return new Date(this.#lastCreatedAt).toISOString()
  }

  /**
   * Stores a new run's series rows before its row, ROWS_PER_STEP in each transaction, the event
   * loop free in between; the key id of each row. Marked first (`markUnfinished`), so that the
   * rows of an upload that never got its row are found and removed.
   */
  async #insertSeriesRowsInSteps(id: string, series: SeriesFunctions): Promise<number[]> {
    const keyIds = new Array<number>(series.keys.length)
    this.#series.markUnfinished(id)
    for (let from = 0; from < series.keys.length; from += ROWS_PER_STEP) {
      await setImmediate()
      const to = Math.min(from + ROWS_PER_STEP, series.keys.length)
      this.#db.transaction(() => this.#series.insertRowRange(id, series, keyIds, from, to))()
    }
    return keyIds
  }

  async #removeUncommittedRuns(): Promise<void> {
    // Series rows of uploads that stopped before their run's row (see insertSeriesRowsInSteps).
    for (const id of this.#series.unfinishedRuns()) {
      this.#db.transaction(() => this.#series.deleteRun(id))()
    }
    const ids = new Set(
      (this.#db.prepare('SELECT id FROM runs').all() as { id: string }[]).map((row) => row.id),
    )
    for (const entry of await readdir(this.#runsDir)) {
      if (!ids.has(entry))
        await rm(path.join(this.#runsDir, entry), { recursive: true, force: true })
    }
  }
}

/** Names are searched case-insensitively beyond ASCII: SQLite's lower() folds ASCII only. */
function foldCase(text: string): string {
  return text.toLowerCase()
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT'
}
