import type { RunSort, SortOrder } from '@profhub/api'

/**
 * The run list's search and sort in its URL, so that a copied link reopens the same list and
 * Back returns to it:
 *
 *   /?q=nightly&sort=totalTime&dir=asc
 *
 * Pure, like url-state.ts: `URL` in, query out, and back; bad values fall back to the defaults
 * (people edit URLs). Defaults are left out, so the default list is the bare `/`; `dir` is left
 * out when it is the column's own first order (names A→Z, dates and times largest first).
 * `dir` rather than the API's `order` matches the run page's table sort.
 */

export interface ListSort {
  sort: RunSort
  order: SortOrder
}

export interface ListQuery extends ListSort {
  /** The search as sent (trimmed); '' lists every run. */
  q: string
}

const SORTS: readonly RunSort[] = ['created', 'name', 'totalTime']

/** The server's own limit on `q` (`RunListQuerySchema`). */
export const MAX_QUERY_LENGTH = 1000

/** The server's default listing: newest first. */
export const DEFAULT_SORT: ListSort = { sort: 'created', order: 'desc' }

export const DEFAULT_LIST_QUERY: ListQuery = { q: '', ...DEFAULT_SORT }

/** A column's first click: names A→Z, times and dates largest/newest first. */
export function defaultOrder(sort: RunSort): SortOrder {
  return sort === 'name' ? 'asc' : 'desc'
}

function isSort(raw: string | null): raw is RunSort {
  return raw !== null && (SORTS as readonly string[]).includes(raw)
}

export function listQueryFromUrl(url: URL): ListQuery {
  const params = url.searchParams
  const rawSort = params.get('sort')
  const sort = isSort(rawSort) ? rawSort : DEFAULT_SORT.sort
  const rawDir = params.get('dir')
  const order = rawDir === 'asc' || rawDir === 'desc' ? rawDir : defaultOrder(sort)
  const q = (params.get('q') ?? '').trim().slice(0, MAX_QUERY_LENGTH)
  return { q, sort, order }
}

export function urlFromListQuery(query: ListQuery): string {
  const params = new URLSearchParams()
  if (query.q !== '') params.set('q', query.q)
  if (query.sort !== DEFAULT_SORT.sort) params.set('sort', query.sort)
  if (query.order !== defaultOrder(query.sort)) params.set('dir', query.order)
  const search = params.toString()
  return search === '' ? '/' : `/?${search}`
}

export function isSameListQuery(a: ListQuery, b: ListQuery): boolean {
  return a.q === b.q && a.sort === b.sort && a.order === b.order
}
