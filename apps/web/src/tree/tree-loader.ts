import { useSyncExternalStore } from 'react'
import {
  buildCallGraph,
  buildCallTree,
  buildInvertedTree,
  type CallGraph,
  type CallTree,
  type ProfileDocument,
} from '@profhub/profile'
import { packProfile, transferables, unpackTree } from './packed-tree.ts'
import { INVERTED_OPTIONS, TREE_OPTIONS } from './tree-options.ts'
import type { WorkerAnswer } from './call-tree.worker.ts'

/**
 * The call trees of each loaded profile, built once: top-down for the sunburst and icicle,
 * bottom-up for the butterfly view (memoized selectors that may answer later).
 * Small profiles are built on the spot; big ones in a Web Worker, because a 100k-function profile
 * takes ~0.4 s and would freeze the page. The worker sends the top-down tree as soon as it has
 * it, so that the charts paint without waiting for the bottom-up tree. Like the other
 * selectors it is cached beside the document (a WeakMap), never in the zustand store.
 */

export type TreeState =
  | { status: 'building' }
  | { status: 'ready'; tree: CallTree }
  | { status: 'error'; message: string }

type Kind = 'tree' | 'inverted'

/**
 * Below this many functions + edges (about 20k functions) the build takes well under 100 ms:
 * it runs here, which paints sooner than starting a worker and moving the numbers there and back
 * (measured at 20k: first paint 600 ms here, 640 ms through a worker).
 */
const SMALL = 100_000

const BUILDING: TreeState = { status: 'building' }
const cache = new WeakMap<ProfileDocument, Record<Kind, TreeState>>()
const graphs = new WeakMap<ProfileDocument, CallGraph>()
const listeners = new Set<() => void>()

function settle(doc: ProfileDocument, kind: Kind, state: TreeState): void {
  if (kind === 'tree') performance.mark('profhub:tree-ready')
  const states = cache.get(doc)
  if (states) states[kind] = state
  for (const listener of listeners) listener()
}

function buildInWorker(doc: ProfileDocument): void {
  const worker = new Worker(new URL('./call-tree.worker.ts', import.meta.url), { type: 'module' })
  worker.onmessage = ({ data }: MessageEvent<WorkerAnswer>) => {
    if (!data.ok) {
      // A tree that failed takes the other one with it (the worker stops there).
      worker.terminate()
      const failed: TreeState = { status: 'error', message: data.message }
      settle(doc, data.kind, failed)
      if (data.kind === 'tree') settle(doc, 'inverted', failed)
      return
    }
    if (data.kind === 'inverted') worker.terminate()
    settle(doc, data.kind, { status: 'ready', tree: unpackTree(data.tree, doc) })
  }
  worker.onerror = (event) => {
    worker.terminate()
    // No worker (a blocked script, an old browser): build here after all.
    event.preventDefault()
    settle(doc, 'tree', buildHere(doc, 'tree'))
    settle(doc, 'inverted', buildHere(doc, 'inverted'))
  }
  const packed = packProfile(doc)
  worker.postMessage(packed, transferables(packed))
}

function buildHere(doc: ProfileDocument, kind: Kind): TreeState {
  try {
    let graph = graphs.get(doc)
    if (!graph) graphs.set(doc, (graph = buildCallGraph(doc)))
    return {
      status: 'ready',
      tree:
        kind === 'tree'
          ? buildCallTree(graph, TREE_OPTIONS)
          : buildInvertedTree(graph, INVERTED_OPTIONS),
    }
  } catch (error) {
    return { status: 'error', message: error instanceof Error ? error.message : String(error) }
  }
}

function selectTreeState(doc: ProfileDocument, kind: Kind): TreeState {
  let states = cache.get(doc)
  if (!states) {
    performance.mark('profhub:tree-start')
    const small = doc.functions.length + doc.edges.length < SMALL || typeof Worker === 'undefined'
    // Small profiles: each tree is built the first time it is asked for.
    states = small ? ({} as Record<Kind, TreeState>) : { tree: BUILDING, inverted: BUILDING }
    cache.set(doc, states)
    if (!small) buildInWorker(doc)
  }
  if (!states[kind]) {
    states[kind] = buildHere(doc, kind)
    if (kind === 'tree') performance.mark('profhub:tree-ready')
  }
  return states[kind]
}

/** The top-down call tree's state, starting its build the first time a document is asked for. */
export function selectCallTree(doc: ProfileDocument): TreeState {
  return selectTreeState(doc, 'tree')
}

/** The bottom-up tree's state (own time at the top, callers below). */
export function selectInvertedTree(doc: ProfileDocument): TreeState {
  return selectTreeState(doc, 'inverted')
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function useCallTree(doc: ProfileDocument): TreeState {
  return useSyncExternalStore(subscribe, () => selectCallTree(doc))
}

/** The bottom-up tree's state; null asks for nothing (a view that does not show it yet). */
export function useInvertedTree(doc: ProfileDocument | null): TreeState {
  return useSyncExternalStore(subscribe, () => (doc ? selectInvertedTree(doc) : BUILDING))
}
