import type { CallEdge, ProfileDocument } from '@profhub/profile'
import { sliceSteps } from './steps.ts'

/**
 * Lookups computed once per loaded profile: function keys (what URLs store) and caller/callee
 * adjacency (edges are stored once, by index, in `ProfileDocument.edges`).
 */

/**
 * A function's stable key: `file:line:name`, the pstats key. Array indexes change between uploads
 * of the same program; this does not. `%` and `:` in the file are percent-escaped so the first `:`
 * always ends the file and the key is unambiguous (`C:\x.py` → `C%3A\x.py:1:main`); the name,
 * last, may contain anything.
 */
export function functionKey(f: { file: string; line: number; name: string }): string {
  return `${f.file.replaceAll('%', '%25').replaceAll(':', '%3A')}:${f.line}:${f.name}`
}

export interface ProfileIndex {
  /** Key → function index. pstats keys are unique; on a clash (never seen) the first one wins. */
  byKey: Map<string, number>
  /** For each function, the edges (indexes into `edges`) where it is the callee. */
  callers: readonly (readonly number[])[]
  /** For each function, the edges where it is the caller. */
  callees: readonly (readonly number[])[]
}

const NONE: readonly number[] = Object.freeze([])

export function computeProfileIndex(
  doc: Pick<ProfileDocument, 'functions' | 'edges'>,
): ProfileIndex {
  let index: ProfileIndex | undefined
  const size = Math.max(doc.functions.length, doc.edges.length, 1)
  for (const step of computeProfileIndexInSteps(doc, size, (i) => (index = i))) step()
  return index as ProfileIndex
}

/**
 * `computeProfileIndex` as steps to run in order, each over at most `size` functions or edges
 * (100k functions take ~0.2–0.4 s), so that a page can answer between them; the last one calls
 * `done` with the index.
 */
export function computeProfileIndexInSteps(
  doc: Pick<ProfileDocument, 'functions' | 'edges'>,
  size: number,
  done: (index: ProfileIndex) => void,
): (() => void)[] {
  const { functions, edges } = doc
  const n = functions.length
  const byKey = new Map<string, number>()
  // Lists start as the shared empty one; a function's own list is made at its first edge.
  const callers = new Array<readonly number[]>(n).fill(NONE)
  const callees = new Array<readonly number[]>(n).fill(NONE)
  const link = (lists: (readonly number[])[], i: number, e: number) => {
    if (lists[i] === NONE) lists[i] = [e]
    else (lists[i] as number[]).push(e)
  }
  return [
    ...sliceSteps(n, size, (from, to) => {
      for (let i = from; i < to; i++) {
        const key = functionKey(functions[i]!)
        if (!byKey.has(key)) byKey.set(key, i)
      }
    }),
    ...sliceSteps(edges.length, size, (from, to) => {
      for (let e = from; e < to; e++) {
        const edge = edges[e]!
        // An edge pointing outside `functions` would be a server bug; skip it rather than crash.
        if (edge.caller >= n || edge.callee >= n) continue
        link(callers, edge.callee, e)
        link(callees, edge.caller, e)
      }
    }),
    () => done({ byKey, callers, callees }),
  ]
}

/** The panel's order: most cumulative time first (null for `profile`-module runs), then calls. */
export function compareEdges(a: CallEdge, b: CallEdge): number {
  return (b.cumtime ?? -1) - (a.cumtime ?? -1) || b.ncalls - a.ncalls
}
