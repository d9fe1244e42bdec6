import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { Run } from '@profhub/api'
import type { ProfileDocument } from '@profhub/profile'
import { moveFileDurably, syncDirectory, writeFileDurably } from './durable-files.ts'
import { ProfileCache } from './profile-cache.ts'
import { createRunId } from './run-id.ts'
import type { NewRun, RunPage, RunPosition, RunStore, StoredBlob } from './run-store.ts'

// The embedded store. Layout under DATA_DIR (one server process per DATA_DIR):
//   profhub.sqlite            run metadata (WAL)
//   runs/<id>/original.prof   the uploaded bytes
//   runs/<id>/profile.json    the converted document
// A run's files are made durable before its row is inserted, and its row is deleted before
// its files, so the row is the commit point: a directory without a row is garbage.

const SCHEMA_VERSION = 1
const ORIGINAL_FILE = 'original.prof'
const PROFILE_FILE = 'profile.json'

const SCHEMA = `
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    source_format TEXT NOT NULL,
    summary TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    python_version TEXT
  ) STRICT;
  CREATE INDEX runs_newest_first ON runs (created_at DESC, id DESC);
`

interface RunRow {
  id: string
  name: string
  created_at: string
  source_format: string
  summary: string
  file_name: string
  file_size: number
  python_version: string | null
}

export class SqliteRunStore implements RunStore {
  readonly #db: Database.Database
  readonly #runsDir: string
  readonly #cache = new ProfileCache()
  /** Keeps createdAt strictly increasing, so "newest first" is the upload order. */
  #lastCreatedAt: number

  private constructor(db: Database.Database, dataDir: string) {
    this.#db = db
    this.#runsDir = path.join(dataDir, 'runs')
    const newest = db.prepare('SELECT max(created_at) AS t FROM runs').get() as { t: string | null }
    this.#lastCreatedAt = newest.t === null ? 0 : Date.parse(newest.t)
  }

  /** Opens (or creates) the store and removes the files of runs that were never committed. */
  static async open(dataDir: string): Promise<SqliteRunStore> {
    await mkdir(path.join(dataDir, 'runs'), { recursive: true })
    const db = new Database(path.join(dataDir, 'profhub.sqlite'))
    try {
      db.pragma('journal_mode = WAL')
      // FULL: an acknowledged upload survives a power cut. Uploads are rare; the cost is nil.
      db.pragma('synchronous = FULL')
      migrate(db)
      const store = new SqliteRunStore(db, dataDir)
      await store.#removeUncommittedRuns()
      return store
    } catch (error) {
      db.close()
      throw error
    }
  }

  async create(run: NewRun): Promise<Run> {
    const id = createRunId()
    const dir = path.join(this.#runsDir, id)
    await mkdir(dir)
    try {
      await moveFileDurably(run.uploadPath, dir, ORIGINAL_FILE)
      await writeFileDurably(dir, PROFILE_FILE, run.profileJson)
      await syncDirectory(this.#runsDir)
      const row: RunRow = {
        id,
        name: run.name,
        created_at: this.#nextCreatedAt(),
        source_format: run.profile.sourceFormat,
        summary: JSON.stringify(run.profile.summary),
        file_name: run.fileName,
        file_size: run.fileSize,
        python_version: run.profile.pythonVersion,
      }
      this.#db
        .prepare(
          `INSERT INTO runs (id, name, created_at, source_format, summary, file_name, file_size,
             python_version)
           VALUES (@id, @name, @created_at, @source_format, @summary, @file_name, @file_size,
             @python_version)`,
        )
        .run(row)
      this.#cache.set(id, run.profile)
      return toRun(row)
    } catch (error) {
      await rm(dir, { recursive: true, force: true })
      throw error
    }
  }

  async get(id: string): Promise<Run | null> {
    const row = this.#db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined
    return row === undefined ? null : toRun(row)
  }

  async list(limit: number, after: RunPosition | null): Promise<RunPage> {
    // One extra row tells whether there is a next page.
    const rows = (
      after === null
        ? this.#db
            .prepare('SELECT * FROM runs ORDER BY created_at DESC, id DESC LIMIT ?')
            .all(limit + 1)
        : this.#db
            .prepare(
              `SELECT * FROM runs WHERE (created_at, id) < (?, ?)
               ORDER BY created_at DESC, id DESC LIMIT ?`,
            )
            .all(after.createdAt, after.id, limit + 1)
    ) as RunRow[]
    const runs = rows.slice(0, limit).map(toRun)
    const last = runs.at(-1)
    const next = rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null
    return { runs, next }
  }

  async rename(id: string, name: string): Promise<Run | null> {
    this.#db.prepare('UPDATE runs SET name = ? WHERE id = ?').run(name, id)
    return this.get(id)
  }

  async delete(id: string): Promise<boolean> {
    const { changes } = this.#db.prepare('DELETE FROM runs WHERE id = ?').run(id)
    this.#cache.delete(id)
    if (changes === 0) return false
    await rm(path.join(this.#runsDir, id), { recursive: true, force: true })
    return true
  }

  async readProfile(id: string): Promise<ProfileDocument | null> {
    const cached = this.#cache.get(id)
    if (cached !== undefined) return cached
    if ((await this.get(id)) === null) return null
    const text = await readFileIfExists(path.join(this.#runsDir, id, PROFILE_FILE))
    if (text === null) return null
    // Validated when it was stored; a future formatVersion bump would upgrade it here.
    const document = JSON.parse(text) as ProfileDocument
    this.#cache.set(id, document)
    return document
  }

  async openProfileJson(id: string): Promise<StoredBlob | null> {
    return this.#openBlob(id, PROFILE_FILE)
  }

  async openOriginal(id: string): Promise<StoredBlob | null> {
    return this.#openBlob(id, ORIGINAL_FILE)
  }

  async ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get()
  }

  async close(): Promise<void> {
    this.#db.close()
  }

  async #openBlob(id: string, file: string): Promise<StoredBlob | null> {
    if ((await this.get(id)) === null) return null
    try {
      const handle = await open(path.join(this.#runsDir, id, file), 'r')
      const { size } = await handle.stat()
      return { stream: handle.createReadStream(), size }
    } catch (error) {
      // Deleted between the row lookup and the open.
      if (isNotFound(error)) return null
      throw error
    }
  }

  #nextCreatedAt(): string {
    this.#lastCreatedAt = Math.max(Date.now(), this.#lastCreatedAt + 1)
    return new Date(this.#lastCreatedAt).toISOString()
  }

  async #removeUncommittedRuns(): Promise<void> {
    const ids = new Set(
      (this.#db.prepare('SELECT id FROM runs').all() as { id: string }[]).map((row) => row.id),
    )
    for (const entry of await readdir(this.#runsDir)) {
      if (!ids.has(entry))
        await rm(path.join(this.#runsDir, entry), { recursive: true, force: true })
    }
  }
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `DATA_DIR was written by a newer profhub (schema ${version}, this one knows ${SCHEMA_VERSION})`,
    )
  }
  if (version === 0) {
    db.transaction(() => {
      db.exec(SCHEMA)
      db.pragma(`user_version = ${SCHEMA_VERSION}`)
    })()
  }
}

function toRun(row: RunRow): Run {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    sourceFormat: row.source_format as Run['sourceFormat'],
    summary: JSON.parse(row.summary) as Run['summary'],
    source: { fileName: row.file_name, fileSize: row.file_size, pythonVersion: row.python_version },
  }
}

async function readFileIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    if (isNotFound(error)) return null
    throw error
  }
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT'
}
