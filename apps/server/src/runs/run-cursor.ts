import { ApiError } from '../errors.ts'
import { isRunId } from './run-id.ts'
import type { RunPosition } from './run-store.ts'

// The list cursor is opaque to clients: base64url of the JSON [createdAt, id] of the last run
// on the page. Opaque so that the ordering key can change without breaking clients.

export function formatCursor(position: RunPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url')
}

/** Throws a 400 for anything `formatCursor` did not make. */
export function parseCursor(cursor: string): RunPosition {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw invalidCursor()
  }
  if (!Array.isArray(value) || value.length !== 2) throw invalidCursor()
  const [createdAt, id] = value as unknown[]
  if (typeof createdAt !== 'string' || !isIsoTimestamp(createdAt)) throw invalidCursor()
  if (typeof id !== 'string' || !isRunId(id)) throw invalidCursor()
  return { createdAt, id }
}

function isIsoTimestamp(text: string): boolean {
  const time = Date.parse(text)
  return !Number.isNaN(time) && new Date(time).toISOString() === text
}

function invalidCursor(): ApiError {
  return new ApiError(
    400,
    'The cursor is not valid: pass the nextCursor of the previous page unchanged.',
  )
}
