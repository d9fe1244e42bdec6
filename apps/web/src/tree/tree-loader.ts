import { useSyncExternalStore } from 'react'
import {
  buildCallGraph,
  buildCallTree,
  buildInvertedTree,
  CHART_TREE_OPTIONS,
  unpackTree,
  type CallGraph,
  type CallTree,
  type PackedTree,
  type ProfileDocument,
} from '@profhub/profile'
import { packProfile, transferables } from './packed-tree.ts'
import { INVERTED_OPTIONS } from './tree-options.ts'
import type { TreeKind, WorkerAnswer } from './call-tree.worker.ts'

/**
 * The call trees of each loaded profile, built once: top-down for the sunburst and icicle,
 * bottom-up for the butterfly view (memoized selectors that may answer later).
 * A stored run's top-down tree comes from the server (`offerChartTree`), which builds it once
 * for everyone who opens the run. Otherwise, and for the bottom-up tree: small profiles are built
 * on the spot; big ones in a Web Worker, because a 100k-function profile takes ~0.4 s and would
 * freeze the page. Like the other selectors it is cached beside the document (a WeakMap), never
 * in the zustand store.
 */

export type TreeState =
  | { status: 'building' }
  | { status: 'ready'; tree: CallTree }
  | { status: 'error'; message: string }

/**
 * Below this many functions + edges (about 20k functions) the build takes well under 100 ms:
 * it runs here, which paints sooner than starting a worker and moving the numbers there and back
 * (measured at 20k: first paint 600 ms here, 640 ms through a worker).
 */
const SMALL = 100_000

const BUILDING: TreeState = { status: 'building' }
const cache = new WeakMap<ProfileDocument, Partial<Record<TreeKind, TreeState>>>()
const graphs = new WeakMap<ProfileDocument, CallGraph>()
/** The server's top-down tree of a document, on its way (null: there is none to be had). */
const offered = new WeakMap<ProfileDocument, Promise<PackedTree | null>>()
const listeners = new Set<() => void>()

/** The top-down tree of `doc` as the server built it, or null if it could not be had. */
export function offerChartTree(doc: ProfileDocument, tree: Promise<PackedTree | null>): void {
  offered.set(doc, tree)
}

function settle(doc: ProfileDocument, kind: TreeKind, state: TreeState): void {
  if (kind === 'tree') performance.mark('profhub:tree-ready')
  const states = cache.get(doc)
  if (states) states[kind] = state
  for (const listener of listeners) listener()
}

function buildInWorker(doc: ProfileDocument, kind: TreeKind): void {
  const worker = new Worker(new URL('./call-tree.worker.ts', import.meta.url), { type: 'module' })
  worker.onmessage = ({ data }: MessageEvent<WorkerAnswer>) => {
    worker.terminate()
    settle(
      doc,
      kind,
      data.ok
        ? { status: 'ready', tree: unpackTree(data.tree, doc) }
        : { status: 'error', message: data.message },
    )
  }
  worker.onerror = (event) => {
    worker.terminate()
    // No worker (a blocked script, an old browser): build here after all.
    event.preventDefault()
    settle(doc, kind, buildHere(doc, kind))
  }
  const profile = packProfile(doc)
  worker.postMessage({ kind, profile }, transferables(profile))
}

function buildHere(doc: ProfileDocument, kind: TreeKind): TreeState {
  try {
    let graph = graphs.get(doc)
    if (!graph) graphs.set(doc, (graph = buildCallGraph(doc)))
    return {
      status: 'ready',
      tree:
        kind === 'tree'
          ? buildCallTree(graph, CHART_TREE_OPTIONS)
          : buildInvertedTree(graph, INVERTED_OPTIONS),
    }
  } catch (error) {
    return { status: 'error', message: error instanceof Error ? error.message : String(error) }
  }
}

/** Builds the tree in this page: here when small, else in a worker (building until then). */
function build(doc: ProfileDocument, kind: TreeKind): TreeState {
  const small = doc.functions.length + doc.edges.length < SMALL || typeof Worker === 'undefined'
  if (small) return buildHere(doc, kind)
  buildInWorker(doc, kind)
  return BUILDING
}

/** The server's tree when it comes and fits the document; else the page builds it after all. */
async function takeOffered(doc: ProfileDocument, tree: Promise<PackedTree | null>) {
  const packed = await tree
  let state: TreeState | null = null
  try {
    if (packed !== null) state = { status: 'ready', tree: unpackTree(packed, doc) }
  } catch {
    // Not this document's tree: built here instead.
  }
  state ??= build(doc, 'tree')
  // Still building (in a worker): that one settles it.
  if (state.status !== 'building') settle(doc, 'tree', state)
}

function selectTreeState(doc: ProfileDocument, kind: TreeKind): TreeState {
  let states = cache.get(doc)
  if (!states) {
    performance.mark('profhub:tree-start')
    cache.set(doc, (states = {}))
  }
  let state = states[kind]
  if (state === undefined) {
    const tree = kind === 'tree' ? offered.get(doc) : undefined
    if (tree) {
      state = BUILDING
      void takeOffered(doc, tree)
    } else {
      state = build(doc, kind)
      if (kind === 'tree' && state.status !== 'building') performance.mark('profhub:tree-ready')
    }
    states[kind] = state
  }
  return state
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
