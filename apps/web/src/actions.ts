import type { Run } from '@profhub/api'
import { readProfileDocument, UnsupportedFormatError, type ProfileDocument } from '@profhub/profile'
import * as api from './api.ts'
import { ApiError } from './api.ts'
import { useAppStore, type Loadable } from './store.ts'
import { offerChartTree } from './tree/tree-loader.ts'

/** Server calls and what they do to the store. Components call these, never `api` directly. */

const PAGE_SIZE = 50
/** Loaded profiles can be tens of megabytes: keep the few most recently opened ones. */
const KEEP_PROFILES = 3

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  return new ApiError(0, 'Error', error instanceof Error ? error.message : String(error))
}

const set = useAppStore.setState
const get = useAppStore.getState

/** `askToken`: on a 401, ask for the access token (a person asked for the list). */
export async function loadRunList({ askToken = false } = {}): Promise<void> {
  set((s) => ({ runList: { ...s.runList, status: 'loading', error: null } }))
  try {
    const page = await api.listRuns({ limit: PAGE_SIZE }, { askToken })
    set({
      runList: {
        status: 'ready',
        runs: page.runs,
        nextCursor: page.nextCursor,
        loadingMore: false,
        error: null,
      },
    })
  } catch (error) {
    set((s) => ({ runList: { ...s.runList, status: 'error', error: asApiError(error) } }))
  }
}

function settle<T>(promise: Promise<T>): Promise<Loadable<T>> {
  return promise.then(
    (data) => ({ status: 'ready', data }),
    (error: unknown) => ({ status: 'error', error: asApiError(error) }),
  )
}

async function fetchProfile(id: string, charts: boolean): Promise<ProfileDocument> {
  // The charts' tree comes with the document: built once by the server, not in every page.
  const tree = charts ? api.getChartTree(id) : null
  const doc = await api.getProfile(id)
  try {
    const profile = readProfileDocument(doc)
    if (tree) offerChartTree(profile, tree)
    return profile
  } catch (error) {
    if (!(error instanceof UnsupportedFormatError)) throw error
    throw new ApiError(
      200,
      'Unsupported Format',
      'This profile was converted by a newer profhub server than this page. Reload the page.',
    )
  }
}

/**
 * Fetches a run and its profile in parallel unless they are loaded or loading; with `charts`
 * (a run page), the charts' call tree too. Idempotent, so effects may call it freely
 * (StrictMode runs them twice).
 */
export function ensureRunLoaded(id: string, { retry = false, charts = false } = {}): void {
  const state = get()
  const needRun = retry ? state.runs[id]?.status !== 'ready' : state.runs[id] === undefined
  const needProfile = retry
    ? state.profiles[id]?.status !== 'ready'
    : state.profiles[id] === undefined
  if (needRun) {
    set((s) => ({ runs: { ...s.runs, [id]: { status: 'loading' } } }))
    void settle(api.getRun(id)).then((run) => set((s) => ({ runs: { ...s.runs, [id]: run } })))
  }
  if (needProfile) {
    set((s) => ({ profiles: keepRecent({ ...s.profiles, [id]: { status: 'loading' } }, id) }))
    void settle(fetchProfile(id, charts)).then((profile) =>
      set((s) => ({ profiles: keepRecent({ ...s.profiles, [id]: profile }, id) })),
    )
  }
}

function keepRecent(
  profiles: Record<string, Loadable<ProfileDocument>>,
  newest: string,
): Record<string, Loadable<ProfileDocument>> {
  // Insertion order is recency: move `newest` last, drop from the front.
  const entries = Object.entries(profiles).filter(([id]) => id !== newest)
  entries.push([newest, profiles[newest]!])
  return Object.fromEntries(entries.slice(-KEEP_PROFILES))
}

/** Loads a run's memory document once (null when it has none). */
export function ensureMemoryLoaded(id: string): void {
  if (get().memory[id] !== undefined) return
  set((s) => ({ memory: { ...s.memory, [id]: { status: 'loading' } } }))
  void settle(api.getMemory(id)).then((memory) =>
    set((s) => ({ memory: { ...s.memory, [id]: memory } })),
  )
}

/** The store's key of one file's source in one run. */
export function sourceKey(id: string, file: string): string {
  return `${id}\n${file}`
}

/** Loads one file's uploaded source once (null when the run has none for it). */
export function ensureSourceLoaded(id: string, file: string): void {
  const key = sourceKey(id, file)
  if (get().sources[key] !== undefined) return
  set((s) => ({ sources: { ...s.sources, [key]: { status: 'loading' } } }))
  void settle(api.getSource(id, file)).then((source) =>
    set((s) => ({ sources: { ...s.sources, [key]: source } })),
  )
}

/** Renames a run; throws the ApiError (shown by the caller, which keeps the editor open). */
export async function renameRun(id: string, name: string): Promise<Run> {
  const run = await api.renameRun(id, name)
  set((s) => ({
    runs: { ...s.runs, [id]: { status: 'ready', data: run } },
    runList: {
      ...s.runList,
      runs: s.runList.runs.map((r) => (r.id === id ? { ...r, name: run.name } : r)),
    },
  }))
  return run
}
