import type { CallEdge, ProfileDocument } from '@profhub/profile'

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
  const n = doc.functions.length
  const byKey = new Map<string, number>()
  doc.functions.forEach((f, i) => {
    const key = functionKey(f)
    if (!byKey.has(key)) byKey.set(key, i)
  })
  const callers: number[][] = Array.from({ length: n }, () => [])
  const callees: number[][] = Array.from({ length: n }, () => [])
  doc.edges.forEach((edge, e) => {
    // An edge pointing outside `functions` would be a server bug; skip it rather than crash.
    if (edge.caller >= n || edge.callee >= n) return
    callers[edge.callee]!.push(e)
    callees[edge.caller]!.push(e)
  })
  return {
    byKey,
    callers: callers.map((list) => (list.length === 0 ? NONE : list)),
    callees: callees.map((list) => (list.length === 0 ? NONE : list)),
  }
}

/** The panel's order: most cumulative time first (null for `profile`-module runs), then calls. */
export function compareEdges(a: CallEdge, b: CallEdge): number {
  return (b.cumtime ?? -1) - (a.cumtime ?? -1) || b.ncalls - a.ncalls
}
