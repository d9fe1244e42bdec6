import type { Readable } from 'node:stream'
import type { Run, RunSort, SortOrder } from '@profhub/api'
import type { SeriesFunctions } from '@profhub/profile'
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
  /**
   * The runs that have the label `key=value`: the newest `limit` of them by createdAt, answered
   * oldest first, each with its series project root; `truncated` when older ones were left out.
   */
  listSeries(label: [string, string], limit: number): Promise<SeriesRuns>
  /**
   * The series rows of these runs (absent runs are left out of the map): only the rows of
   * `keys` (seriesKeyOf texts), or every row of the runs when `keys` is null.
   */
  readSeriesRows(
    runIds: readonly string[],
    keys: readonly string[] | null,
  ): Promise<Map<string, SeriesColumns>>
  /** The key texts of these key ids (as in `SeriesColumns.keyIds`). */
  readSeriesKeys(keyIds: readonly number[]): Promise<Map<number, string>>
  /**
   * Up to `limit` runs stored before series rows were (oldest first): their rows are worked
   * out from their documents (`series-backfill.ts`) and stored with `storeSeries`.
   */
  listRunsWithoutSeries(limit: number): Promise<string[]>
  /**
   * Stores the series rows of a run listed by `listRunsWithoutSeries`, all at once; false
   * (nothing stored) if the run is gone or has its rows already (another server stored them).
   */
  storeSeries(id: string, series: SeriesFunctions): Promise<boolean>
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
  /** The rows the run adds to its series (`seriesFunctionsOf`), stored with the run. */
  series: SeriesFunctions
}

export interface SeriesRuns {
  runs: { run: Run; root: string }[]
  truncated: boolean
}

/** One run's series rows in columns; `keyIds` are the store's ids of the key texts. */
export interface SeriesColumns {
  keyIds: number[]
  line: number[]
  ncalls: number[]
  primitiveCalls: number[]
  tottime: number[]
  cumtime: number[]
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
