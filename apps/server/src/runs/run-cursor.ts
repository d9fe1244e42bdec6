import { createHash } from 'node:crypto'
import type { RunSort, SortOrder } from '@profhub/api'
import { ApiError } from '../errors.ts'
import { isRunId } from './run-id.ts'
import type { RunPosition } from './run-store.ts'

// The list cursor is opaque to clients: base64url of the JSON [2, query, key, id]: the last
// run's sort key and id, and a fingerprint of the query (sort, order, q) it belongs to, so that
// a cursor is refused by another query rather than silently skipping runs. Version 1 cursors
// ([createdAt, id], from before sorting and searching) still page the default listing.

export interface RunListQueryKey {
  sort: RunSort
  order: SortOrder
  q: string
  /** The label filter (`[key, value]` pairs); absent or [] for none. */
  labels?: [string, string][]
}

const VERSION = 2
const MAX_NAME_UNITS = 400

export function formatCursor(position: RunPosition, query: RunListQueryKey): string {
  const json = JSON.stringify([VERSION, fingerprint(query), position.key, position.id])
  return Buffer.from(json).toString('base64url')
}

/** Throws a 400 for anything `formatCursor` did not make for this same query. */
export function parseCursor(cursor: string, query: RunListQueryKey): RunPosition {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw invalidCursor()
  }
  if (!Array.isArray(value)) throw invalidCursor()
  if (value.length === 2) return parseVersion1(value, query)
  if (value.length !== 4 || value[0] !== VERSION) throw invalidCursor()
  const [, print, key, id] = value as unknown[]
  if (typeof id !== 'string' || !isRunId(id)) throw invalidCursor()
  if (print !== fingerprint(query)) throw otherQueryCursor()
  if (!isSortKey(key, query.sort)) throw invalidCursor()
  return { key, id }
}

function parseVersion1(value: unknown[], query: RunListQueryKey): RunPosition {
  const [createdAt, id] = value
  if (typeof createdAt !== 'string' || !isIsoTimestamp(createdAt)) throw invalidCursor()
  if (typeof id !== 'string' || !isRunId(id)) throw invalidCursor()
  if (query.sort !== 'created' || query.order !== 'desc' || query.q !== '' || hasLabels(query)) {
    throw otherQueryCursor()
  }
  return { key: createdAt, id }
}

function isSortKey(key: unknown, sort: RunSort): key is string | number {
  switch (sort) {
    case 'created':
      return typeof key === 'string' && isIsoTimestamp(key)
    case 'name':
      return typeof key === 'string' && key.length <= MAX_NAME_UNITS
    case 'totalTime':
      return typeof key === 'number' && Number.isFinite(key) && key >= 0
  }
}

function hasLabels(query: RunListQueryKey): boolean {
  return query.labels !== undefined && query.labels.length > 0
}

/**
 * Short and fixed-length whatever `q` is: the cursor must fit in a URL. The labels count only
 * when there are some, so that cursors made before the label filter existed still work.
 */
function fingerprint(query: RunListQueryKey): string {
  const key = [query.sort, query.order, query.q, ...(hasLabels(query) ? [query.labels] : [])]
  return createHash('sha256').update(JSON.stringify(key)).digest('base64url').slice(0, 16)
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

function otherQueryCursor(): ApiError {
  return new ApiError(
    400,
    'The cursor belongs to another listing: pass it with the same q, sort and order as the page it came from, or start again without a cursor.',
  )
}
