import type { SortDirection } from '@profhub/profile'
import {
  defaultTableDirection,
  isTableSortKey,
  type TableSortKey,
} from './views/StatsTable/table-rows.ts'

/**
 * The URL holds the whole view state, so a copied link opens the same view (CONTRACT.md). Pure:
 * `URL` in, state out, and back; no `window`, no throwing on bad input (people edit URLs).
 *
 *   /runs/<id>?v=1&sort=tottime&dir=asc&q=json&fn=%2Fopt%2Fapp%2Fa.py%3A12%3Amain
 *
 * Defaults are left out; a URL with nothing but defaults is the bare path, and `v` is written
 * whenever there is a query. Each format change bumps URL_VERSION and adds an upgrader from the
 * previous version (Firefox Profiler's url-handling.ts does the same). Example: if the default tab
 * ever becomes `sunburst`, v2 must turn v1's missing `tab` into an explicit `tab=table`.
 */

export const URL_VERSION = 1

export const TABS = ['table'] as const
export type Tab = (typeof TABS)[number]

export interface SortState {
  key: TableSortKey
  direction: SortDirection
}

export interface ViewState {
  runId: string | null
  tab: Tab
  sort: SortState
  /** The search box's text, as typed. */
  search: string
  /** The selected function's key (see `functionKey`), or null. */
  selected: string | null
  // Reserved for the chart and compare views; always their defaults for now, not read or written.
  focus: string | null
  depth: number | null
  cutoff: number | null
  compare: string | null
}

/** The view state of a run page, which always has a run. */
export type RunViewState = ViewState & { runId: string }

export type Route =
  { page: 'runs' } | { page: 'run'; view: RunViewState } | { page: 'not-found'; pathname: string }

export const DEFAULT_SORT: SortState = { key: 'cumtime', direction: 'desc' }

export function defaultViewState(runId: string | null = null): ViewState {
  return {
    runId,
    tab: 'table',
    sort: DEFAULT_SORT,
    search: '',
    selected: null,
    focus: null,
    depth: null,
    cutoff: null,
    compare: null,
  }
}

/** The server caps `filter` at 1000 characters; longer text in a URL is cut, not rejected. */
const MAX_SEARCH = 1000

/** Upgraders: `upgraders[n]` turns version-n parameters into version n+1 (none yet). */
const upgraders: Record<number, (params: URLSearchParams) => void> = {}

function runIdFromPath(pathname: string): string | undefined {
  const match = /^\/runs\/([^/]+)\/?$/.exec(pathname)
  if (!match) return undefined
  try {
    const id = decodeURIComponent(match[1]!)
    return id === '' ? undefined : id
  } catch {
    return undefined // a malformed %-escape
  }
}

function parseVersion(raw: string | null): number {
  // Hand-written URLs without `v` (or with a broken one) are read as the current version.
  if (raw === null || !/^\d+$/.test(raw)) return URL_VERSION
  const v = Number(raw)
  return v >= 1 ? v : URL_VERSION
}

export function viewStateFromUrl(url: URL): ViewState {
  const view = defaultViewState(runIdFromPath(url.pathname) ?? null)
  const params = new URLSearchParams(url.search)
  const version = parseVersion(params.get('v'))
  // A link from a newer profhub: we cannot know what its parameters mean. Show the run as it
  // opens by default rather than misread them.
  if (version > URL_VERSION) return view
  for (let v = version; v < URL_VERSION; v++) upgraders[v]?.(params)

  const tab = params.get('tab')
  if (tab !== null && (TABS as readonly string[]).includes(tab)) view.tab = tab as Tab

  const sortKey = params.get('sort')
  if (isTableSortKey(sortKey)) {
    const dir = params.get('dir')
    view.sort = {
      key: sortKey,
      direction: dir === 'asc' || dir === 'desc' ? dir : defaultTableDirection(sortKey),
    }
  } else {
    const dir = params.get('dir')
    if (dir === 'asc' || dir === 'desc') view.sort = { key: DEFAULT_SORT.key, direction: dir }
  }

  const search = params.get('q')
  if (search !== null) view.search = search.slice(0, MAX_SEARCH)

  const selected = params.get('fn')
  if (selected !== null && selected !== '') view.selected = selected

  return view
}

/** Path plus query for `state`; the inverse of `viewStateFromUrl`. */
export function urlFromViewState(state: ViewState): string {
  if (state.runId === null) return '/'
  const path = `/runs/${encodeURIComponent(state.runId)}`
  const params = new URLSearchParams()
  if (state.tab !== 'table') params.set('tab', state.tab)
  if (state.sort.key !== DEFAULT_SORT.key) params.set('sort', state.sort.key)
  if (state.sort.direction !== defaultTableDirection(state.sort.key)) {
    params.set('dir', state.sort.direction)
  }
  if (state.search !== '') params.set('q', state.search)
  if (state.selected !== null) params.set('fn', state.selected)
  const query = params.toString()
  return query === '' ? path : `${path}?v=${URL_VERSION}&${query}`
}

export function routeFromUrl(url: URL): Route {
  if (url.pathname === '/' || url.pathname === '/index.html') return { page: 'runs' }
  const runId = runIdFromPath(url.pathname)
  if (runId !== undefined) return { page: 'run', view: { ...viewStateFromUrl(url), runId } }
  return { page: 'not-found', pathname: url.pathname }
}
