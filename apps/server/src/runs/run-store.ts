import type { Readable } from 'node:stream'
import type { Run } from '@profhub/api'
import type { ProfileDocument } from '@profhub/profile'

/**
 * Where runs live. The embedded default is SQLite + files under DATA_DIR
 * (`sqlite-run-store.ts`); a PostgreSQL + object-store backend would implement the same.
 * Ids are checked by the routes before they reach a store.
 */
export interface RunStore {
  /**
   * Stores a converted upload. Takes ownership of `uploadPath` (moves it). The run is visible
   * only once everything is durable: a crash part way leaves nothing behind.
   */
  create(run: NewRun): Promise<Run>
  get(id: string): Promise<Run | null>
  /** Newest first; `after` is the last run of the previous page. */
  list(limit: number, after: RunPosition | null): Promise<RunPage>
  rename(id: string, name: string): Promise<Run | null>
  /** False if there was no such run. */
  delete(id: string): Promise<boolean>
  /** The parsed document (cached: a run's profile never changes). */
  readProfile(id: string): Promise<ProfileDocument | null>
  /** The stored document's JSON text, for sending as is. */
  openProfileJson(id: string): Promise<StoredBlob | null>
  /** The uploaded bytes. */
  openOriginal(id: string): Promise<StoredBlob | null>
  /** Throws if the store cannot answer (used by /api/health). */
  ping(): Promise<void>
  close(): Promise<void>
}

export interface NewRun {
  name: string
  fileName: string
  fileSize: number
  uploadPath: string
  profile: ProfileDocument
  /** `profile` serialized (the shim's output), stored as is. */
  profileJson: string
}

/** Where a page of runs ends: runs are ordered by (createdAt, id), newest first. */
export interface RunPosition {
  createdAt: string
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
