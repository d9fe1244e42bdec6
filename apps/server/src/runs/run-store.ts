import type { Readable } from 'node:stream'
import type { Run, RunSort, SortOrder } from '@profhub/api'
import type { ProfileMeta } from '../converter/profile-workers.ts'
import type { RunExtras } from './run-parts.ts'
import type { StatsTable } from '../converter/stats-table.ts'

/**
 * Where runs live. The embedded default is SQLite + files under DATA_DIR
 * (`sqlite-run-store.ts`); a PostgreSQL + object-store backend would implement the same.
 * Ids are checked by the routes before they reach a store.
 */
export interface RunStore {
  /**
   * Stores a converted upload. Takes ownership of the files' `path`s (moves them). The run is
   * visible only once everything is durable: a crash part way leaves nothing behind.
   */
  create(run: NewRun): Promise<Run>
  get(id: string): Promise<Run | null>
  /** One page in the query's order; `query.after` is the last run of the previous page. */
  list(query: RunListOptions): Promise<RunPage>
  /** Sets the fields given; null if there is no such run. */
  update(id: string, changes: RunChanges): Promise<Run | null>
  /** False if there was no such run. */
  delete(id: string): Promise<boolean>
  /**
   * The run's function table with its sort orders, for /stats (built off the event loop, and
   * cached: a run's profile never changes).
   */
  readStatsTable(id: string): Promise<StatsTable | null>
  /**
   * The stored document's JSON text, for sending as is; with `encoding`, its compressed copy
   * instead, or null while there is none (the store then makes one).
   */
  openProfileJson(id: string, encoding?: 'br'): Promise<StoredBlob | null>
  /** The run's memory document (JSON as stored), or null if the run or the document is absent. */
  openMemory(id: string): Promise<StoredBlob | null>
  /**
   * The text of one source file of the run (`path` as in the stats), or null if the run has no
   * source for it (`Run.sourceFiles` lists those it has).
   */
  readSource(id: string, path: string): Promise<string | null>
  /** The bytes of the run's `index`th uploaded file (0: the first; merged runs have several). */
  openOriginal(id: string, index?: number): Promise<StoredBlob | null>
  /** Waits for the work a store does after answering (compressed copies of new runs). */
  settle(): Promise<void>
  /** Throws if the store cannot answer (used by /api/health). */
  ping(): Promise<void>
  close(): Promise<void>
}

export interface NewRunFile {
  /** Where the upload was received; the store moves it. */
  path: string
  /** The client's file name (untrusted text). */
  fileName: string
  fileSize: number
}

export interface NewRun {
  name: string
  /** The uploaded files in upload order: one, or the inputs of a merge. */
  files: NewRunFile[]
  /** What the row keeps of the document. */
  profile: ProfileMeta
  /** The file holding the whole document (the shim's output): the store moves it, as is. */
  profilePath: string
  /** `KEY: VALUE` pairs sent with the upload (checked by `labels.ts`); `{}` for none. */
  labels: Record<string, string>
  /**
   * The checked `memory`, `source` and `environment` parts (null: not sent). A run without an
   * environment answers one guessed from its profile (`guessEnvironment`).
   */
  extras: RunExtras
}

export interface RunChanges {
  name?: string
  note?: string
}

export interface RunListOptions {
  limit: number
  sort: RunSort
  order: SortOrder
  /** Keeps runs whose name contains this, case-insensitively; '' keeps all. */
  q: string
  /** Keeps runs that have every one of these labels (`[key, value]`); [] keeps all. */
  labels: [string, string][]
  after: RunPosition | null
}

/**
 * Where a page of runs ends: runs are ordered by (sort key, id), both in the query's order.
 * `key` is the run's createdAt (sort=created), name (name) or summary.totalTime (totalTime).
 */
export interface RunPosition {
  key: string | number
  id: string
}

export interface RunPage {
  runs: Run[]
  /** Null when there are no more runs. */
  next: RunPosition | null
}

export interface StoredBlob {
  stream: Readable
  size: number
}

/**
 * The configured store cannot be used at start (a database that does not answer, a missing
 * bucket): the operator's to fix, so the server says it in one line rather than a stack.
 */
export class StoreUnavailableError extends Error {}
