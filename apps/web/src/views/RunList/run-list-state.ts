import { create } from 'zustand'
import type { CreatedRun, RunSummary, UploadMode } from '@profhub/api'
import * as api from '../../api.ts'
import { ApiError } from '../../api.ts'
import { navigate } from '../../navigation.ts'
import { useAppStore } from '../../store.ts'
import {
  DEFAULT_LIST_QUERY,
  listQueryFromUrl,
  urlFromListQuery,
  type ListQuery,
} from '../../run-list-url.ts'

/**
 * The run list page's own state: the listing (search, sort, pages), the runs picked for a
 * comparison, files waiting for the merge-or-separate choice, and uploads. Local to this page
 * (not shared with the run page), so it lives here rather than in the app store. The search and
 * sort are also in the URL (`run-list-url.ts`): the URL is what a visit shows.
 */

const PAGE_SIZE = 50

export type { ListQuery }

export interface UploadBatch {
  id: number
  /** The files' names, in upload order (untrusted text). */
  fileNames: string[]
  mode: UploadMode
  status: 'uploading' | 'done' | 'error'
  loaded: number
  total: number
  runs?: CreatedRun[]
  error?: ApiError
}

export interface RunListState {
  query: ListQuery
  status: 'idle' | 'loading' | 'ready' | 'error'
  runs: RunSummary[]
  nextCursor: string | null
  loadingMore: boolean
  error: ApiError | null
  /** Picked for a comparison, in the order picked; kept across searches. */
  selected: RunSummary[]
  /** Several files dropped or picked: waiting for "merge" or "separate". */
  pendingFiles: File[] | null
  uploads: UploadBatch[]
}

export const useRunListStore = create<RunListState>()(() => ({
  query: DEFAULT_LIST_QUERY,
  status: 'idle',
  runs: [],
  nextCursor: null,
  loadingMore: false,
  error: null,
  selected: [],
  pendingFiles: null,
  uploads: [],
}))

const set = useRunListStore.setState
const get = useRunListStore.getState

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  return new ApiError(0, 'Error', error instanceof Error ? error.message : String(error))
}

/** Answers to an older query (typing fast) must not overwrite a newer one's. */
let listRequest = 0

/** Loads the first page of `query` (by default the current one, e.g. after an upload). */
export async function loadRuns(query: ListQuery = get().query): Promise<void> {
  const request = ++listRequest
  set({ query, status: 'loading', error: null, loadingMore: false })
  try {
    const page = await api.listRuns({ ...query, limit: PAGE_SIZE }, { askToken: true })
    if (request !== listRequest) return
    set({ status: 'ready', runs: page.runs, nextCursor: page.nextCursor })
  } catch (error) {
    if (request !== listRequest) return
    set({ status: 'error', error: asApiError(error) })
  }
}

function currentPath(): string {
  return window.location.pathname + window.location.search
}

/**
 * Lists `query`'s runs and puts it in the URL. A sort pushes a history entry (Back undoes it);
 * a search replaces the entry, as the run page's search box does, so typing adds no entries.
 */
export function showRuns(query: ListQuery, mode: 'push' | 'replace'): void {
  const url = urlFromListQuery(query)
  if (url !== currentPath()) {
    if (mode === 'push') window.history.pushState(null, '', url)
    else window.history.replaceState(null, '', url)
  }
  void loadRuns(query)
}

/** Lists what the URL asks for (a visit, Back/Forward), after writing it in its canonical form. */
export function showRunsFromUrl(): void {
  const query = listQueryFromUrl(new URL(window.location.href))
  const canonical = urlFromListQuery(query)
  if (canonical !== currentPath()) window.history.replaceState(null, '', canonical)
  void loadRuns(query)
}

export async function loadMoreRuns(): Promise<void> {
  const { nextCursor, loadingMore, query } = get()
  if (nextCursor === null || loadingMore) return
  const request = listRequest
  set({ loadingMore: true, error: null })
  try {
    const page = await api.listRuns(
      { ...query, limit: PAGE_SIZE, cursor: nextCursor },
      { askToken: true },
    )
    if (request !== listRequest) return
    set((s) => {
      const seen = new Set(s.runs.map((r) => r.id))
      return {
        runs: [...s.runs, ...page.runs.filter((r) => !seen.has(r.id))],
        nextCursor: page.nextCursor,
        loadingMore: false,
      }
    })
  } catch (error) {
    if (request !== listRequest) return
    set({ loadingMore: false, error: asApiError(error) })
  }
}

export function toggleSelected(run: RunSummary): void {
  set((s) => ({
    selected: s.selected.some((r) => r.id === run.id)
      ? s.selected.filter((r) => r.id !== run.id)
      : [...s.selected, run],
  }))
}

export function clearSelection(): void {
  set({ selected: [] })
}

/** Deletes a run; throws the ApiError (the dialog shows it and stays open). */
export async function deleteRun(id: string): Promise<void> {
  try {
    await api.deleteRun(id)
  } catch (error) {
    // Already gone (deleted by someone else): what the person wanted.
    if (!(error instanceof ApiError && error.status === 404)) throw error
  }
  set((s) => ({
    runs: s.runs.filter((r) => r.id !== id),
    selected: s.selected.filter((r) => r.id !== id),
  }))
}

/** Saves a run's note; throws the ApiError (the editor shows it and stays open). */
export async function saveNote(id: string, note: string): Promise<void> {
  const run = await api.updateRun(id, { note })
  const patch = (r: RunSummary) => (r.id === id ? { ...r, name: run.name, note: run.note } : r)
  set((s) => ({ runs: s.runs.map(patch), selected: s.selected.map(patch) }))
}

/** Files from the picker or a drop: one uploads at once; several ask first (see UploadChoice). */
export function chooseFiles(files: readonly File[]): void {
  if (files.length === 0) return
  if (files.length === 1) void uploadBatch([...files], 'separate')
  else set({ pendingFiles: [...files] })
}

export function answerPendingFiles(mode: UploadMode | null): void {
  const files = get().pendingFiles
  set({ pendingFiles: null })
  if (files !== null && mode !== null) void uploadBatch(files, mode)
}

let nextBatchId = 1

function patchBatch(id: number, patch: Partial<UploadBatch>): void {
  set((s) => ({ uploads: s.uploads.map((u) => (u.id === id ? { ...u, ...patch } : u)) }))
}

/** Only a safe same-origin path from the server's `url`; otherwise the page path we know. */
export function runPagePath(run: { id: string; url: string }): string {
  return /^\/runs\/[^/]+$/.test(run.url) ? run.url : `/runs/${encodeURIComponent(run.id)}`
}

/**
 * One request for the files. When it makes one run (a single file, or a merge) that run
 * opens; several runs stay on the list, refreshed, with links to each. A failure stays on the
 * list with the server's message, which names the file at fault.
 */
async function uploadBatch(files: File[], mode: UploadMode): Promise<void> {
  const id = nextBatchId++
  const total = files.reduce((sum, file) => sum + file.size, 0)
  const batch: UploadBatch = {
    id,
    fileNames: files.map((file) => file.name),
    mode,
    status: 'uploading',
    loaded: 0,
    total,
  }
  // Finished results of earlier uploads give way to the new one.
  set((s) => ({ uploads: [...s.uploads.filter((u) => u.status === 'uploading'), batch] }))
  const onProgress = ({ loaded, total }: api.UploadProgress) => patchBatch(id, { loaded, total })
  try {
    const runs =
      files.length === 1
        ? [await api.uploadRun(files[0]!, { onProgress })]
        : await api.uploadRuns(files, { mode, onProgress })
    patchBatch(id, { status: 'done', runs, loaded: total })
    const onList = useAppStore.getState().route.page === 'runs'
    if (runs.length === 1 && onList) {
      set((s) => ({ uploads: s.uploads.filter((u) => u.id !== id) }))
      navigate(runPagePath(runs[0]!))
    } else if (onList) {
      void loadRuns()
    }
  } catch (error) {
    patchBatch(id, { status: 'error', error: asApiError(error) })
  }
}

export function dismissUploads(): void {
  set((s) => ({ uploads: s.uploads.filter((u) => u.status === 'uploading') }))
}
