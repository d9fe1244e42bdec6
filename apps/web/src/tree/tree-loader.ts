import { useSyncExternalStore } from 'react'
import {
  buildCallGraph,
  buildCallTree,
  buildInvertedTree,
  type CallTree,
  type ProfileDocument,
} from '@profhub/profile'
import { packProfile, transferables, unpackTree, type PackedTree } from './packed-tree.ts'
import { INVERTED_OPTIONS, TREE_OPTIONS } from './tree-options.ts'

/**
 * The call trees of each loaded profile (top-down for the sunburst and icicle, bottom-up for
 * the butterfly view), built once (a memoized selector that may answer later).
 * Small profiles are built on the spot; big ones in a Web Worker, because a 100k-function profile
 * takes ~0.4 s and would freeze the page. Like the other selectors it is cached beside the
 * document (a WeakMap), never stored in the zustand store.
 */

export type TreeState =
  | { status: 'building' }
  | { status: 'ready'; tree: CallTree; inverted: CallTree }
  | { status: 'error'; message: string }

/** Below this many functions + edges the build takes a few milliseconds: no worker. */
const SMALL = 20_000

const BUILDING: TreeState = { status: 'building' }
const cache = new WeakMap<ProfileDocument, TreeState>()
const listeners = new Set<() => void>()

function settle(doc: ProfileDocument, state: TreeState): void {
  performance.mark('profhub:tree-ready')
  cache.set(doc, state)
  for (const listener of listeners) listener()
}

function buildInWorker(doc: ProfileDocument): void {
  const worker = new Worker(new URL('./call-tree.worker.ts', import.meta.url), { type: 'module' })
  worker.onmessage = (
    event: MessageEvent<
      { ok: true; tree: PackedTree; inverted: PackedTree } | { ok: false; message: string }
    >,
  ) => {
    worker.terminate()
    const data = event.data
    settle(
      doc,
      data.ok
        ? {
            status: 'ready',
            tree: unpackTree(data.tree, doc),
            inverted: unpackTree(data.inverted, doc),
          }
        : { status: 'error', message: data.message },
    )
  }
  worker.onerror = (event) => {
    worker.terminate()
    // No worker (a blocked script, an old browser): build here after all.
    event.preventDefault()
    settle(doc, buildHere(doc))
  }
  const packed = packProfile(doc)
  worker.postMessage(packed, transferables(packed))
}

function buildHere(doc: ProfileDocument): TreeState {
  try {
    const graph = buildCallGraph(doc)
    return {
      status: 'ready',
      tree: buildCallTree(graph, TREE_OPTIONS),
      inverted: buildInvertedTree(graph, INVERTED_OPTIONS),
    }
  } catch (error) {
    return { status: 'error', message: error instanceof Error ? error.message : String(error) }
  }
}

/** The tree's state, starting its build the first time a document is asked for. */
export function selectCallTree(doc: ProfileDocument): TreeState {
  let state = cache.get(doc)
  if (state) return state
  performance.mark('profhub:tree-start')
  if (doc.functions.length + doc.edges.length < SMALL || typeof Worker === 'undefined') {
    state = buildHere(doc)
    performance.mark('profhub:tree-ready')
  } else {
    state = BUILDING
    buildInWorker(doc)
  }
  cache.set(doc, state)
  return state
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function useCallTree(doc: ProfileDocument): TreeState {
  return useSyncExternalStore(subscribe, () => selectCallTree(doc))
}
