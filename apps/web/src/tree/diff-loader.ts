import { useSyncExternalStore } from 'react'
import {
  buildFunctionDiff,
  computeSummaryDiff,
  type FunctionDiff,
  type ProfileDiff,
  type ProfileDocument,
} from '@profhub/profile'
import type { CompareSortState } from '../url-state.ts'
import {
  selectCompareTableSteps,
  selectProfileDiff,
  selectProfileIndexSteps,
} from '../selectors.ts'
import { sliceSteps } from '../steps.ts'
import { keyBuffers, packKeys } from './packed-keys.ts'
import { selectCallTree } from './tree-loader.ts'
import type { DiffAnswer, DiffRequest } from './diff.worker.ts'

/**
 * Two runs compared (`diffProfiles`), once per pair, as a state that may answer later. Small
 * pairs are compared on the spot (~25 ms for two 20k-function runs). For big ones the matching
 * and the rows' order come from a Web Worker, and what must happen here is cut into tasks of
 * their own (the rows of the diff, the compare table's rows, widest texts and order, the after
 * run's index, the start of both call trees), so that a 100k-function run never holds the page
 * for long: done in one go it froze the page for seconds, and each of these alone for 0.1–0.4 s.
 * Cached beside the documents (WeakMaps), never in the store.
 */

export type DiffState =
  | { status: 'computing' }
  | { status: 'ready'; diff: ProfileDiff }
  | { status: 'error'; message: string }

/** Functions of both runs together under which the comparison runs here (as `selectProfileDiff`). */
const SMALL = 40_000

/** Rows of the diff (and functions of the index) dealt with per task: ~20–50 ms each. */
const SLICE = 10_000

const COMPUTING: DiffState = { status: 'computing' }
const cache = new WeakMap<ProfileDocument, WeakMap<ProfileDocument, DiffState>>()
const listeners = new Set<() => void>()

function settle(before: ProfileDocument, after: ProfileDocument, state: DiffState): void {
  cache.get(before)?.set(after, state)
  for (const listener of listeners) listener()
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

/** Runs each step in a task of its own (a timer between them lets the page paint and answer). */
function inTasks(steps: (() => void)[], onError: (error: unknown) => void): void {
  const next = (i: number) => {
    if (i === steps.length) return
    setTimeout(() => {
      try {
        steps[i]!()
      } catch (error) {
        onError(error)
        return
      }
      next(i + 1)
    })
  }
  next(0)
}

function compareInWorker(
  before: ProfileDocument,
  after: ProfileDocument,
  sort: CompareSortState,
): void {
  const fail = (error: unknown) =>
    settle(before, after, { status: 'error', message: messageOf(error) })
  const worker = new Worker(new URL('./diff.worker.ts', import.meta.url), { type: 'module' })
  worker.onmessage = ({ data }: MessageEvent<DiffAnswer>) => {
    worker.terminate()
    if (!data.ok) return fail(new Error(data.message))
    const { order, ...matching } = data.matching
    // The rows are objects made here, a slice per task (100k at once held the page ~0.1–0.3 s).
    const functions: FunctionDiff[] = new Array(order.length)
    const slices = sliceSteps(order.length, SLICE, (from, to) => {
      for (let i = from; i < to; i++)
        functions[i] = buildFunctionDiff(before, after, matching, order[i]!)
    })
    const diff: ProfileDiff = {
      summary: computeSummaryDiff(before.summary, after.summary),
      functions,
      matching,
    }
    inTasks(
      [
        ...slices,
        ...selectCompareTableSteps(diff, sort, SLICE),
        ...selectProfileIndexSteps(after, SLICE),
        () => settle(before, after, { status: 'ready', diff }),
      ],
      fail,
    )
  }
  worker.onerror = (event) => {
    worker.terminate()
    // No worker (a blocked script, an old browser): compare here after all.
    event.preventDefault()
    try {
      settle(before, after, { status: 'ready', diff: selectProfileDiff(before, after) })
    } catch (error) {
      fail(error)
    }
  }
  // The call trees' workers start first, each in a task of its own: the charts need them next.
  inTasks(
    [
      () => selectCallTree(after),
      () => selectCallTree(before),
      () => {
        const request: DiffRequest = { before: packKeys(before), after: packKeys(after) }
        worker.postMessage(request, [...keyBuffers(request.before), ...keyBuffers(request.after)])
      },
    ],
    fail,
  )
}

/**
 * The comparison's state, starting it the first time a pair is asked for. `sort` is the compare
 * table's: its order is made before the diff is ready, in tasks of its own too.
 */
export function selectDiffState(
  before: ProfileDocument,
  after: ProfileDocument,
  sort: CompareSortState,
): DiffState {
  let inner = cache.get(before)
  if (!inner) cache.set(before, (inner = new WeakMap()))
  let state = inner.get(after)
  if (state) return state
  const small = before.functions.length + after.functions.length < SMALL
  if (small || typeof Worker === 'undefined') {
    try {
      state = { status: 'ready', diff: selectProfileDiff(before, after) }
    } catch (error) {
      state = { status: 'error', message: messageOf(error) }
    }
    inner.set(after, state)
    return state
  }
  inner.set(after, COMPUTING)
  compareInWorker(before, after, sort)
  return COMPUTING
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function useProfileDiff(
  before: ProfileDocument,
  after: ProfileDocument,
  sort: CompareSortState,
): DiffState {
  return useSyncExternalStore(subscribe, () => selectDiffState(before, after, sort))
}
