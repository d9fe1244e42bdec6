import { create } from 'zustand'
import type { Run, RunSummary } from '@profhub/api'
import type { ProfileDocument } from '@profhub/profile'
import type { ApiError } from './api.ts'
import type { MemoryDocument } from './memory.ts'
import type { Route } from './url-state.ts'

/**
 * The app's canonical state only: the route (which mirrors the URL), what has been loaded from
 * the server. Anything computed from these (table rows, sorted/filtered
 * arrays, caller/callee lists) is derived in memoized selectors, never stored here.
 * Actions live in navigation.ts and actions.ts.
 */

export type Loadable<T> =
  { status: 'loading' } | { status: 'ready'; data: T } | { status: 'error'; error: ApiError }

export interface RunListState {
  status: 'idle' | 'loading' | 'ready' | 'error'
  runs: RunSummary[]
  nextCursor: string | null
  loadingMore: boolean
  error: ApiError | null
}

export interface AppState {
  route: Route
  runs: Record<string, Loadable<Run>>
  profiles: Record<string, Loadable<ProfileDocument>>
  /** Each run's memory document; `null`: the run has none. */
  memory: Record<string, Loadable<MemoryDocument | null>>
  /** Uploaded source by `sourceKey(run, file)`; `null`: none for that file. */
  sources: Record<string, Loadable<string | null>>
  runList: RunListState
}

export const useAppStore = create<AppState>()(() => ({
  route: { page: 'runs' },
  runs: {},
  profiles: {},
  memory: {},
  sources: {},
  runList: { status: 'idle', runs: [], nextCursor: null, loadingMore: false, error: null },
}))
