/**
 * The inverted (bottom-up) call tree: where own time is spent, then who is responsible for it.
 * The roots are the functions with own time (tottime), heaviest first; below a function are
 * its callers, below them their callers, and so on. Read top down: "`len` spends 2 s itself;
 * 1.5 s of that is when `parse` calls it, 1.2 s of which is when `main` calls `parse`".
 * The same tree type as `buildCallTree`'s, so the icicle draws it unchanged.
 *
 * What is exact:
 *   - a root's value: the function's tottime;
 *   - a root's children: pstats' caller → callee `tottime`, the callee's own time when called
 *     by that caller;
 *   - deeper, a node below an exact one whose caller → callee edge is the whole of the callee:
 *     the edge's calls, tottime and cumtime are the function's own, so every call of it came
 *     from that caller. Having one recorded caller is not enough: pstats records no caller for
 *     the profile's entry call (under `python -m cProfile`, `exec` runs the program with no
 *     caller, and imports call it again through `_call_with_frames_removed`), a caller without
 *     a stats entry of its own is dropped from the document, and a recursive function's calls
 *     to itself are calls its outer caller did not make directly.
 * What is estimated: the rest. A node's value is split among the callers of its function in
 * proportion to each caller's `cumtime` on the edge (its share of the function's time): the
 * same assumption as the call tree's, that a function spends its time the same way whoever
 * calls it. For the `profile` module, edges carry call counts only, and counts split the time.
 *
 * Recursion: a function's calls to itself hold part of its own time in pstats (the recursive
 * edge's tottime). That part is given to the outer callers in proportion to their cumtime (an
 * estimate), so a recursive function's own time still leads to whoever started the recursion.
 * No caller → callee edge is followed twice on one path, which ends every cycle.
 * Subtrees under `minFraction` of the total own time are dropped, and at most `maxNodes` nodes
 * are built.
 */
import { buildCallGraph, type CallGraph } from './call-graph.ts'
import { growDepthFirst, WHOLE_PROFILE, type CallTree, type CallTreeNode } from './call-tree.ts'
import type { CallEdge, FunctionStats, ProfileDocument } from './pstats.ts'

export interface InvertedTreeOptions {
  minFraction?: number
  maxNodes?: number
}

const SAME = 1e-9 // relative: the same float sums, added in another order

function sameTime(a: number | null, b: number): boolean {
  return a !== null && Math.abs(a - b) <= SAME * Math.max(Math.abs(a), Math.abs(b))
}

/** True when pstats records every call of the callee, and all of its time, on this edge. */
function isWholeOfCallee(edge: CallEdge, callee: FunctionStats): boolean {
  return (
    edge.ncalls === callee.ncalls &&
    sameTime(edge.tottime, callee.tottime) &&
    sameTime(edge.cumtime, callee.cumtime)
  )
}

export function buildInvertedTree(
  input: ProfileDocument | CallGraph,
  { minFraction = 1e-4, maxNodes = 100_000 }: InvertedTreeOptions = {},
): CallTree {
  const graph = 'doc' in input ? input : buildCallGraph(input)
  const { functions } = graph.doc
  const total = functions.reduce((sum, f) => sum + f.tottime, 0)
  const threshold = total * minFraction
  const top: CallTreeNode = {
    func: WHOLE_PROFILE,
    edge: null,
    value: total,
    exact: true,
    depth: 0,
    parent: null,
    children: [],
  }
  const roots: CallTreeNode[] = []
  functions.forEach((f, func) => {
    if (f.tottime > 0 && f.tottime >= threshold) {
      roots.push({
        func,
        edge: null,
        value: f.tottime,
        exact: true,
        depth: 1,
        parent: top,
        children: [],
      })
    }
  })
  roots.sort((a, b) => b.value - a.value || a.func - b.func)
  top.children = roots
  let nodeCount = roots.length
  let truncated = nodeCount > maxNodes
  if (truncated) {
    roots.length = maxNodes
    nodeCount = maxNodes
  }

  /** Each outer caller's share of the node's value, and whether it is exact. */
  function shares(node: CallTreeNode): { edge: CallEdge; share: number; exact: boolean }[] {
    const callers = graph.callersOf[node.func]!
    const outer = callers.filter((edge) => edge.caller !== edge.callee)
    const weight = (edge: CallEdge) => edge.cumtime ?? edge.ncalls
    const weights = outer.reduce((sum, edge) => sum + weight(edge), 0)
    if (node.depth === 1) {
      // A root: its own time, split by who called it.
      const recursive = callers.find((edge) => edge.caller === edge.callee)
      const folded = recursive?.tottime ?? 0
      const known = outer.every((edge) => edge.tottime !== null)
      const parts = outer.map((edge) => {
        const spread = weights > 0 ? (folded * weight(edge)) / weights : 0
        return known ? edge.tottime! + spread : weights > 0 ? weight(edge) / weights : 0
      })
      const sum = parts.reduce((a, b) => a + b, 0)
      const whole = known ? Math.max(node.value, sum) : 1
      // Edge times that add up past the function's own would be scaled down: no longer pstats'.
      const unscaled = sum <= node.value * (1 + SAME)
      return outer.map((edge, i) => ({
        edge,
        share: whole > 0 ? parts[i]! / whole : 0,
        exact: known && folded === 0 && unscaled,
      }))
    }
    // Deeper: the time passed through this function; split by who called it, by cumtime.
    const callee = functions[node.func]!
    return outer.map((edge) => {
      const share = weights > 0 ? weight(edge) / weights : 0
      const exact = node.exact && Math.abs(share - 1) <= SAME && isWholeOfCallee(edge, callee)
      return { edge, share, exact }
    })
  }

  function expand(node: CallTreeNode, onPath: ReadonlySet<CallEdge>): void {
    const children: CallTreeNode[] = []
    for (const { edge, share, exact } of shares(node)) {
      if (onPath.has(edge)) continue
      const value = node.value * share
      if (value <= 0 || value < threshold) continue
      children.push({
        func: edge.caller,
        edge,
        value,
        exact,
        depth: node.depth + 1,
        parent: node,
        children: [],
      })
    }
    children.sort((a, b) => b.value - a.value || a.func - b.func)
    if (nodeCount + children.length > maxNodes) {
      truncated = true
      return
    }
    nodeCount += children.length
    node.children = children
  }

  growDepthFirst(roots, expand)
  return { graph, top, roots, total, nodeCount, truncated }
}
