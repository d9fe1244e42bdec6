import { statfs } from 'node:fs/promises'
import { ApiError } from '../errors.ts'

/** A write failed for want of space: the file system is full, or the quota (SQLite: SQLITE_FULL). */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL'
}

/** The answer to an upload that did not fit: 507, said plainly, instead of a generic 500. */
export function diskFullError(cause: unknown): ApiError {
  return new ApiError(
    507,
    "The server's disk is full: the upload could not be stored. Nothing was kept; try again once space is freed in the server's DATA_DIR.",
    'Insufficient Storage',
    { cause },
  )
}

/** Bytes an unprivileged process may still write on the file system holding `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const stats = await statfs(dir)
  return stats.bavail * stats.bsize
}
