import type { RunSort, SortOrder } from '@profhub/api'

/**
 * The run list's search and sort in its URL, so that a copied link reopens the same list and
 * Back returns to it:
 *
 *   /?q=nightly&sort=totalTime&dir=asc&label=branch%3Dmain&label=python%3D3.13
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
  /** `KEY=VALUE` labels a run must all have (`GET /api/runs?label=`), in the order added. */
  labels: string[]
}

const SORTS: readonly RunSort[] = ['created', 'name', 'totalTime']

/** The server's own limit on `q` (`RunListQuerySchema`). */
export const MAX_QUERY_LENGTH = 1000

/** The server's default listing: newest first. */
export const DEFAULT_SORT: ListSort = { sort: 'created', order: 'desc' }

export const DEFAULT_LIST_QUERY: ListQuery = { q: '', labels: [], ...DEFAULT_SORT }

/** Label filters one list may have (each is a condition every run must meet). */
export const MAX_LABEL_FILTERS = 10

/** A label as the server takes it: a key of 1–64 `A-Z a-z 0-9 _ . : / -`, `=`, a value. */
export function isLabelFilter(raw: string): boolean {
  return /^[A-Za-z0-9_.:/-]{1,64}=/.test(raw) && raw.length <= 64 + 1 + 500
}

/** `labels` with `label` added (once) at the end. */
export function withLabel(labels: readonly string[], label: string): string[] {
  return labels.includes(label) ? [...labels] : [...labels, label].slice(0, MAX_LABEL_FILTERS)
}

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
  const labels = params
    .getAll('label')
    .filter(isLabelFilter)
    .reduce<string[]>((kept, label) => withLabel(kept, label), [])
  return { q, sort, order, labels }
}

export function urlFromListQuery(query: ListQuery): string {
  const params = new URLSearchParams()
  if (query.q !== '') params.set('q', query.q)
  if (query.sort !== DEFAULT_SORT.sort) params.set('sort', query.sort)
  if (query.order !== defaultOrder(query.sort)) params.set('dir', query.order)
  for (const label of query.labels) params.append('label', label)
  const search = params.toString()
  return search === '' ? '/' : `/?${search}`
}

export function isSameListQuery(a: ListQuery, b: ListQuery): boolean {
  return (
    a.q === b.q &&
    a.sort === b.sort &&
    a.order === b.order &&
    a.labels.length === b.labels.length &&
    a.labels.every((label, i) => label === b.labels[i])
  )
}
