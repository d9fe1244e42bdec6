import type { StoredBlob } from './run-store.ts'

/**
 * Where a PostgreSQL-backed store keeps a run's bytes (uploaded files, the converted document
 * and its compressed copy, memory and source parts): in PostgreSQL itself (`pg-blobs.ts`), or
 * in an S3-compatible object store (`s3-blobs.ts`). Keys look like `runs/<id>/profile.json`.
 * A blob is written once and never changed; the run's row is the commit point, so blobs
 * without a row are garbage (see `RunStore.create`).
 */
export interface BlobStore {
  /** Stores the file's bytes as `key`, durably before it resolves. The file is left in place. */
  putFile(key: string, file: string): Promise<void>
  /** Stores `bytes` as `key`, durably before it resolves. */
  putBytes(key: string, bytes: Uint8Array): Promise<void>
  /** The blob's bytes and size, or null if there is no such blob. */
  open(key: string): Promise<StoredBlob | null>
  /** Removes every blob whose key starts with `prefix` (`runs/<id>/`); none is not an error. */
  deletePrefix(prefix: string): Promise<void>
  /** Throws if the blobs cannot be reached (used by /api/health). */
  ping(): Promise<void>
  close(): Promise<void>
}

/** The whole blob in one ArrayBuffer of its own (so that it can be transferred). */
export async function readBlobBytes(blob: StoredBlob): Promise<ArrayBuffer> {
  const bytes = new Uint8Array(blob.size)
  let at = 0
  for await (const chunk of blob.stream as AsyncIterable<Buffer>) {
    if (at + chunk.length > bytes.length) throw new Error('a stored document grew while read')
    bytes.set(chunk, at)
    at += chunk.length
  }
  if (at !== bytes.length) throw new Error('a stored document was cut short while read')
  return bytes.buffer
}
