import type { SortDirection } from '@profhub/profile'
import { FOCUS_PATH, MAX_FOCUS_PATH } from './tree/focus-path.ts'
import { defaultCompareDirection, isCompareSortKey, type CompareSortKey } from './compare-rows.ts'
import { defaultTableDirection, isTableSortKey, type TableSortKey } from './table-rows.ts'
import { seriesRouteFromUrl, type SeriesRoute } from './series-url.ts'

/**
 * The URL holds the whole view state, so a copied link opens the same view (the page contract). Pure:
 * `URL` in, state out, and back; no `window`, no throwing on bad input (people edit URLs).
 *
 *   /runs/<id>?v=2&tab=icicle&focus=1xk3v2.0b7f2c&depth=6&cutoff=0.5&q=json&fn=%2Fopt%2Fa.py%3A12%3Amain
 *
 * Defaults are left out; a URL with nothing but defaults is the bare path, and `v` is written
 * whenever there is a query. Each format change bumps URL_VERSION and adds an upgrader from the
 * previous version (Firefox Profiler's url-handling.ts does the same).
 *
 * Versions: v1 had the Table as its only (default) tab. v2 made the Sunburst the default (what
 * snakeviz users expect), so a v1 link without `tab` means `tab=table`.
 *
 * Comparing two runs (`compare`, reserved since v2, so no new version) has its own path:
 *
 *   /compare/<before>/<after>?v=2&tab=icicle&sort=ncalls-change&dir=asc&q=json
 *
 * A run page URL holding the same state, `/runs/<before>?v=2&compare=<after>&…`, reads as the
 * same view and is rewritten to the `/compare/…` form (the canonical URL: what Copy link copies).
 * The compare view has its own defaults: the Table tab (its question, "did my fix help?", is
 * answered by numbers first), sorted by the size of the tottime change.
 * Its `sort` names a compare-table column (`tottime-change`, `ncalls-before`…); a run table
 * column there is ignored, as any invalid value is.
 */

export const URL_VERSION = 2

export const TABS = ['sunburst', 'icicle', 'table', 'butterfly', 'memory'] as const
export type Tab = (typeof TABS)[number]
/** The compare view's tabs. */
export const COMPARE_TABS = [
  'table',
  'sunburst',
  'icicle',
  'butterfly',
] as const satisfies readonly Tab[]

export interface SortState {
  key: TableSortKey
  direction: SortDirection
}

export interface CompareSortState {
  key: CompareSortKey
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
  /**
   * The charts' focused node as a path of hashed function keys from the top (see
   * `tree/focus-path.ts`); null for the whole profile.
   */
  focus: string | null
  /** Levels the charts draw below the focused node. */
  depth: number
  /** Percent of the focused node's time under which the charts leave a node out. */
  cutoff: number
  /**
   * The run compared with this one, or null. With one, the page is the compare view: `runId` is
   * the BEFORE run and `compare` the AFTER run (the charts show after, coloured by the change).
   */
  compare: string | null
  /** The compare table's sort (the run table's is `sort`). */
  compareSort: CompareSortState
}

/** The view state of a run page, which always has a run. */
export type RunViewState = ViewState & { runId: string }
/** A run page comparing its run (before) with another (after). */
export type CompareViewState = RunViewState & { compare: string }

export function isCompareView(view: RunViewState): view is CompareViewState {
  return view.compare !== null
}

export type Route =
  | { page: 'runs' }
  | { page: 'run'; view: RunViewState }
  /** A series and a function's history in it: see series-url.ts. */
  | SeriesRoute
  | { page: 'not-found'; pathname: string }

export const DEFAULT_SORT: SortState = { key: 'cumtime', direction: 'desc' }
export const DEFAULT_COMPARE_SORT: CompareSortState = { key: 'tottime-change', direction: 'desc' }
export const DEFAULT_TAB: Tab = 'sunburst'
export const DEFAULT_COMPARE_TAB: Tab = 'table'
export const DEFAULT_DEPTH = 10
export const DEPTH_RANGE = { min: 1, max: 100 }
export const DEFAULT_CUTOFF = 0.1
export const CUTOFF_RANGE = { min: 0, max: 99 }

export function defaultViewState(runId: string | null = null): ViewState {
  return {
    runId,
    tab: DEFAULT_TAB,
    sort: DEFAULT_SORT,
    search: '',
    selected: null,
    focus: null,
    depth: DEFAULT_DEPTH,
    cutoff: DEFAULT_CUTOFF,
    compare: null,
    compareSort: DEFAULT_COMPARE_SORT,
  }
}

/** The view of `/compare/<before>/<after>` with nothing else asked. */
export function defaultCompareState(before: string, after: string): CompareViewState {
  return { ...defaultViewState(before), runId: before, compare: after, tab: DEFAULT_COMPARE_TAB }
}

/** The server caps `filter` at 1000 characters; longer text in a URL is cut, not rejected. */
const MAX_SEARCH = 1000

/** Upgraders: `upgraders[n]` turns version-n parameters into version n+1. */
const upgraders: Record<number, (params: URLSearchParams) => void> = {
  // v1's only tab, and its default, was the table; v2's default is the sunburst.
  1: (params) => {
    if (params.get('tab') !== 'table') params.set('tab', 'table')
  },
}

/** A whole number in range, else null. */
export function parseDepth(raw: string | null): number | null {
  if (raw === null || !/^\d{1,4}$/.test(raw)) return null
  const n = Number(raw)
  return n >= DEPTH_RANGE.min && n <= DEPTH_RANGE.max ? n : null
}

/** A plain decimal (`0.5`, `2`, `.25`) in range, else null. */
export function parseCutoff(raw: string | null): number | null {
  if (raw === null || !/^(?:\d{1,3}(?:\.\d{0,6})?|\.\d{1,6})$/.test(raw)) return null
  const n = Number(raw)
  return n >= CUTOFF_RANGE.min && n <= CUTOFF_RANGE.max ? n : null
}

export function parseFocus(raw: string | null): string | null {
  return raw !== null && raw.length <= MAX_FOCUS_PATH && FOCUS_PATH.test(raw) ? raw : null
}

function decodeId(segment: string): string | undefined {
  try {
    const id = decodeURIComponent(segment)
    return id === '' ? undefined : id
  } catch {
    return undefined // a malformed %-escape
  }
}

function runIdFromPath(pathname: string): string | undefined {
  const match = /^\/runs\/([^/]+)\/?$/.exec(pathname)
  return match ? decodeId(match[1]!) : undefined
}

/** `/compare/<before>/<after>`: both ids, or undefined. */
function compareIdsFromPath(pathname: string): [string, string] | undefined {
  const match = /^\/compare\/([^/]+)\/([^/]+)\/?$/.exec(pathname)
  if (!match) return undefined
  const before = decodeId(match[1]!)
  const after = decodeId(match[2]!)
  return before !== undefined && after !== undefined ? [before, after] : undefined
}

/**
 * Run ids are URL-safe base64 (the server makes 22 characters; the API contract promises at least 96
 * random bits, URL-safe): anything else in `compare=` cannot name a run, so it is ignored
 * rather than shown as a missing run.
 */
function parseCompareId(raw: string | null): string | null {
  return raw !== null && /^[A-Za-z0-9_-]{16,200}$/.test(raw) ? raw : null
}

function parseVersion(raw: string | null): number {
  // Hand-written URLs without `v` (or with a broken one) are read as the current version.
  if (raw === null || !/^\d+$/.test(raw)) return URL_VERSION
  const v = Number(raw)
  return v >= 1 ? v : URL_VERSION
}

export function viewStateFromUrl(url: URL): ViewState {
  const params = new URLSearchParams(url.search)
  const compared = compareIdsFromPath(url.pathname)
  const runId = compared?.[0] ?? runIdFromPath(url.pathname) ?? null
  // `/runs/<id>?compare=<other>` is the compare view too (its canonical URL is `/compare/…`).
  const compare = compared?.[1] ?? (runId === null ? null : parseCompareId(params.get('compare')))
  const view: ViewState =
    runId !== null && compare !== null
      ? defaultCompareState(runId, compare)
      : defaultViewState(runId)
  const version = parseVersion(params.get('v'))
  // A link from a newer profhub: we cannot know what its parameters mean. Show the run (or the
  // comparison, which the path says) as it opens by default rather than misread them.
  if (version > URL_VERSION) {
    return compared ? view : defaultViewState(runId)
  }
  for (let v = version; v < URL_VERSION; v++) upgraders[v]?.(params)

  const tab = params.get('tab')
  const tabs: readonly string[] = view.compare === null ? TABS : COMPARE_TABS
  if (tab !== null && tabs.includes(tab)) view.tab = tab as Tab

  const sortKey = params.get('sort')
  if (view.compare !== null) {
    if (isCompareSortKey(sortKey)) {
      const dir = params.get('dir')
      view.compareSort = {
        key: sortKey,
        direction: dir === 'asc' || dir === 'desc' ? dir : defaultCompareDirection(sortKey),
      }
    } else {
      const dir = params.get('dir')
      if (dir === 'asc' || dir === 'desc') {
        view.compareSort = { key: DEFAULT_COMPARE_SORT.key, direction: dir }
      }
    }
  } else if (isTableSortKey(sortKey)) {
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

  view.focus = parseFocus(params.get('focus'))
  view.depth = parseDepth(params.get('depth')) ?? DEFAULT_DEPTH
  view.cutoff = parseCutoff(params.get('cutoff')) ?? DEFAULT_CUTOFF

  return view
}

/** Path plus query for `state`; the inverse of `viewStateFromUrl`. */
export function urlFromViewState(state: ViewState): string {
  if (state.runId === null) return '/'
  const comparing = state.compare !== null
  const path = comparing
    ? `/compare/${encodeURIComponent(state.runId)}/${encodeURIComponent(state.compare!)}`
    : `/runs/${encodeURIComponent(state.runId)}`
  const params = new URLSearchParams()
  if (state.tab !== (comparing ? DEFAULT_COMPARE_TAB : DEFAULT_TAB)) params.set('tab', state.tab)
  if (state.focus !== null) params.set('focus', state.focus)
  if (state.depth !== DEFAULT_DEPTH) params.set('depth', String(state.depth))
  if (state.cutoff !== DEFAULT_CUTOFF) params.set('cutoff', String(state.cutoff))
  const sort = comparing ? state.compareSort : state.sort
  const defaultKey = comparing ? DEFAULT_COMPARE_SORT.key : DEFAULT_SORT.key
  if (sort.key !== defaultKey) params.set('sort', sort.key)
  const defaultDirection = comparing
    ? defaultCompareDirection(state.compareSort.key)
    : defaultTableDirection(state.sort.key)
  if (sort.direction !== defaultDirection) params.set('dir', sort.direction)
  if (state.search !== '') params.set('q', state.search)
  if (state.selected !== null) params.set('fn', state.selected)
  const query = params.toString()
  return query === '' ? path : `${path}?v=${URL_VERSION}&${query}`
}

/**
 * The page for a URL. A comparison is a run page whose view has `compare` set (the same view
 * state, so `updateView` and the URL sync serve both); App shows it as the compare page.
 */
export function routeFromUrl(url: URL): Route {
  if (url.pathname === '/' || url.pathname === '/index.html') return { page: 'runs' }
  const runId = compareIdsFromPath(url.pathname)?.[0] ?? runIdFromPath(url.pathname)
  if (runId !== undefined) return { page: 'run', view: { ...viewStateFromUrl(url), runId } }
  const series = seriesRouteFromUrl(url)
  if (series !== null) return series
  return { page: 'not-found', pathname: url.pathname }
}
