import { existsSync } from 'node:fs'
import { copyFile, mkdir, open, readdir, rename, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { CliError } from './errors.ts'

// A consistent copy of a live embedded store (DATA_DIR: profhub.sqlite in WAL mode, plus
// runs/<id>/). Copying the folder while the server writes can pair the database file with a
// WAL from another moment, or catch a run half deleted. Here the database is copied with
// SQLite's online backup (one snapshot), then the folders of the runs that snapshot lists.
// A run's files are complete before its row is committed and never change afterwards (its
// brotli copy is renamed into place whole), so a listed run's folder is read as it was. A run
// can only lose files by being deleted, and its row is deleted first: a run whose row is still
// in the live database after its folder was copied was copied whole; one whose row is gone is
// dropped from the copy. Nothing else is copied: lock.sqlite, server.pid, tmp/ and
// profhub-view.json belong to the process that serves DATA_DIR, not to the data.

const DATABASE_FILE = 'profhub.sqlite'
const RUNS_DIR = 'runs'
/** Pages per backup step: all of them at once, so the copy is one snapshot (see below). */
const ALL_PAGES = 0x7fffffff

/** The part of better-sqlite3 used here (the command has no type declarations for it). */
interface SqliteDatabase {
  prepare(sql: string): {
    all(...params: unknown[]): unknown[]
    run(...params: unknown[]): unknown
  }
  transaction<T extends unknown[]>(work: (...args: T) => void): (...args: T) => void
  backup(file: string, options: { progress: () => number }): Promise<unknown>
  close(): void
}
type SqliteConstructor = new (
  file: string,
  options?: { readonly?: boolean; fileMustExist?: boolean; timeout?: number },
) => SqliteDatabase

export interface BackupResult {
  /** Runs in the copy. */
  runs: number
  /** Runs deleted while they were being copied, left out of the copy. */
  dropped: number
  /** Bytes of run files copied. */
  bytes: number
}

/** Called before each run's folder is copied: `index` of `total` runs in the snapshot. */
export type BackupProgress = (id: string, index: number, total: number) => void | Promise<void>

/**
 * Copies the store in `dataDir` into the new folder `out` (made here: an existing one is
 * refused). The copy is written beside `out` under another name and renamed at the end, so
 * `out` exists only once the backup is whole. `signal` stops it, leaving nothing behind.
 */
export async function backupDataDir(
  dataDir: string,
  out: string,
  signal: AbortSignal,
  onRun: BackupProgress = () => {},
): Promise<BackupResult> {
  const database = path.join(dataDir, DATABASE_FILE)
  if (!existsSync(database)) {
    throw new CliError(
      `${dataDir} holds no ${DATABASE_FILE}: not the DATA_DIR of a profhub server with the embedded store (a server with DATABASE_URL keeps its runs in PostgreSQL: back it up with pg_dump)`,
    )
  }
  if (existsSync(out)) throw new CliError(`${out} exists: give a new folder to back up into`)
  await mkdir(path.dirname(out), { recursive: true })
  const work = `${out}.partial-${process.pid}`
  await mkdir(path.join(work, RUNS_DIR), { recursive: true })
  const Database = createRequire(import.meta.url)('better-sqlite3') as SqliteConstructor
  // Read and write, not read-only: a read-only connection cannot open a WAL database whose
  // -shm file is missing (a stopped server). It writes nothing; while a server runs, its
  // checkpoints only wait for our read transactions.
  const live = new Database(database, { fileMustExist: true, timeout: 10_000 })
  let done = false
  try {
    // One step for every page: the step holds one read transaction, so the copy is a single
    // snapshot. (Several steps would start over whenever the server commits between two.)
    await live.backup(path.join(work, DATABASE_FILE), { progress: () => ALL_PAGES })
    const copy = new Database(path.join(work, DATABASE_FILE), { fileMustExist: true })
    try {
      const ids = (copy.prepare('SELECT id FROM runs').all() as { id: string }[]).map(
        (row) => row.id,
      )
      let bytes = 0
      for (const [index, id] of ids.entries()) {
        signal.throwIfAborted()
        await onRun(id, index, ids.length)
        bytes += await copyRunFolder(
          path.join(dataDir, RUNS_DIR, id),
          path.join(work, RUNS_DIR, id),
        )
      }
      const gone = deletedSince(live, ids)
      dropRuns(copy, gone)
      for (const id of gone) {
        await rm(path.join(work, RUNS_DIR, id), { recursive: true, force: true })
      }
      signal.throwIfAborted()
      await syncPath(path.join(work, RUNS_DIR))
      done = true
      return { runs: ids.length - gone.length, dropped: gone.length, bytes }
    } finally {
      // The last connection: SQLite folds its WAL into the file and removes it.
      copy.close()
    }
  } finally {
    live.close()
    if (done) {
      await syncPath(path.join(work, DATABASE_FILE))
      await syncPath(work)
      await rename(work, out)
      await syncPath(path.dirname(out))
    } else {
      await rm(work, { recursive: true, force: true })
    }
  }
}

/**
 * Copies the regular files of one run's folder and makes them durable; returns their bytes.
 * A folder or file that is gone means the run is being deleted: `deletedSince` drops it.
 */
async function copyRunFolder(from: string, to: string): Promise<number> {
  await mkdir(to)
  let entries
  try {
    entries = await readdir(from, { withFileTypes: true })
  } catch (error) {
    if (isNotFound(error)) return 0
    throw error
  }
  let bytes = 0
  for (const entry of entries) {
    if (!entry.isFile()) continue
    const target = path.join(to, entry.name)
    try {
      await copyFile(path.join(from, entry.name), target)
    } catch (error) {
      if (isNotFound(error)) continue
      throw error
    }
    bytes += await syncPath(target)
  }
  await syncPath(to)
  return bytes
}

/** The runs of `ids` whose rows the live database no longer has. */
function deletedSince(live: SqliteDatabase, ids: string[]): string[] {
  const select = live.prepare('SELECT 1 FROM runs WHERE id = ?')
  return ids.filter((id) => select.all(id).length === 0)
}

/**
 * Deletes these runs from the copy: their rows, and the rows other tables keep for them (any
 * table with a `run_id` column), whatever tables the schema version has.
 */
function dropRuns(copy: SqliteDatabase, ids: string[]): void {
  if (ids.length === 0) return
  const tables = (
    copy
      .prepare(
        `SELECT m.name AS name FROM sqlite_master m, pragma_table_info(m.name) c
         WHERE m.type = 'table' AND c.name = 'run_id'`,
      )
      .all() as { name: string }[]
  ).map((row) => row.name)
  const statements = [
    copy.prepare('DELETE FROM runs WHERE id = ?'),
    ...tables.map((table) =>
      copy.prepare(`DELETE FROM "${table.replaceAll('"', '""')}" WHERE run_id = ?`),
    ),
  ]
  copy.transaction(() => {
    for (const id of ids) for (const statement of statements) statement.run(id)
  })()
}

/** Flushes a file or a folder (its entries) to disk; returns its size. */
async function syncPath(file: string): Promise<number> {
  const handle = await open(file, 'r')
  try {
    await handle.sync()
    return (await handle.stat()).size
  } finally {
    await handle.close()
  }
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT'
}
