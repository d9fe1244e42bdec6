import { create } from 'zustand'
import type { CreatedRun, Run, RunSummary } from '@profhub/api'
import type { ProfileDocument } from '@profhub/profile'
import type { ApiError } from './api.ts'
import type { Route } from './url-state.ts'

/**
 * The app's canonical state only: the route (which mirrors the URL), what has been loaded from
 * the server, and uploads in flight. Anything computed from these (table rows, sorted/filtered
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

export interface Upload {
  id: number
  batch: number
  fileName: string
  status: 'queued' | 'uploading' | 'done' | 'error'
  loaded: number
  total: number
  run?: CreatedRun
  error?: ApiError
}

export interface AppState {
  route: Route
  runs: Record<string, Loadable<Run>>
  profiles: Record<string, Loadable<ProfileDocument>>
  runList: RunListState
  uploads: Upload[]
}

export const useAppStore = create<AppState>()(() => ({
  route: { page: 'runs' },
  runs: {},
  profiles: {},
  runList: { status: 'idle', runs: [], nextCursor: null, loadingMore: false, error: null },
  uploads: [],
}))
