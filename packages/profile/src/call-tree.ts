/**
 * Call graph → call tree, for the sunburst and icicle.
 *
 * pstats does not record stacks. For every function it knows its totals, and for every
 * caller → callee pair the calls and times of that pair (the callers dict). A tree needs more:
 * how the time of `c` called by `a` splits by who called `a`. We estimate that split, and say so.
 *
 * What is exact:
 *   - a root's value: the function's cumulative time;
 *   - a root's children: the caller → callee edge times, straight from pstats;
 *   - deeper, any node whose every ancestor (bar the root) represents all of its function's
 *     time, i.e. a function with a single caller all the way up.
 * What is estimated: everything else. A child gets the time of its edge scaled by the fraction
 * of the parent function's time this occurrence of the parent stands for (the assumption that
 * a function spends its time the same way whoever calls it: speedscope's callgrind importer and
 * snakeviz make it too, without saying so).
 *
 * Worked example. `main` calls `a` directly and through `b`; `a` calls `c` and `d`:
 *     main;a;c 4   main;a;d 1   main;b;a;c 1   main;b;a;d 4        (stacks, seconds)
 * pstats only keeps main→a 5, main→b 5, b→a 5, a→c 5, a→d 5 (and a's total, 10). The tree:
 *     main 10 ─┬─ a 5 ─┬─ c ≈2.5   (really 4)
 *              │       └─ d ≈2.5   (really 1)
 *              └─ b 5 ── a 5 ─┬─ c ≈2.5   (really 1)
 *                             └─ d ≈2.5   (really 4)
 * `a` under `main` and under `b` are exact (edge times); `c` and `d` are guesses and marked so.
 *
 * Recursion: a function's calls to itself are folded into it (its time stays with the first
 * occurrence, as in pstats' cumtime), and no caller → callee edge is followed twice on one path,
 * which ends every cycle. A function may still reappear below itself through a different edge:
 * under `python -m module`, `exec` runs runpy, whose `_run_code` calls `exec` again with the
 * program itself; cutting there would hide the whole program.
 * For the `profile` module, edges carry call counts only: a child's time is the callee's
 * cumulative time split by its share of the callee's primitive calls, always an estimate.
 * Children never sum past their parent: where the edges of a recursive function overlap, the
 * lighter ones give way (see `fitInto`).
 * Subtrees under `minFraction` of the total are dropped (their time shows as the parent's own),
 * and at most `maxNodes` nodes are built, so the tree cannot explode on large call graphs.
 */
import { buildCallGraph, findRoots, type CallGraph, type FuncIndex } from './call-graph.ts'
import type { CallEdge, ProfileDocument } from './pstats.ts'

export interface CallTreeNode {
  func: FuncIndex
  /** The caller → callee edge this node stands for; null for a root. */
  edge: CallEdge | null
  /** Time spent in this function on this path, including its callees, in seconds. */
  value: number
  /** True when `value` is known from pstats, false when it is the estimate described above. */
  exact: boolean
  depth: number
  parent: CallTreeNode | null
  /** Heaviest first. */
  children: CallTreeNode[]
}

/** `func` of the tree's top node, which stands for the whole profile and has the roots below it. */
export const WHOLE_PROFILE = -1

export interface CallTree {
  graph: CallGraph
  /** The whole profile (`func` is WHOLE_PROFILE, depth 0); its children are the roots. */
  top: CallTreeNode
  roots: CallTreeNode[]
  /** Sum of the roots' values: the profile's total time. */
  total: number
  nodeCount: number
  /** True when `maxNodes` stopped the build before `minFraction` did. */
  truncated: boolean
}

export interface CallTreeOptions {
  /** Drop nodes below this fraction of the total time. */
  minFraction?: number
  maxNodes?: number
}

const SAME = 1e-9 // relative tolerance for "this occurrence is all of the function's time"

export function buildCallTree(
  input: ProfileDocument | CallGraph,
  { minFraction = 1e-4, maxNodes = 250_000 }: CallTreeOptions = {},
): CallTree {
  const graph = 'doc' in input ? input : buildCallGraph(input)
  const { functions } = graph.doc
  const top: CallTreeNode = {
    func: WHOLE_PROFILE,
    edge: null,
    value: 0,
    exact: true,
    depth: 0,
    parent: null,
    children: [],
  }
  const roots = findRoots(graph)
    .map((func): CallTreeNode => {
      // The `profile` module's own entry has no time of its own but calls the program.
      const cumtime = functions[func]!.cumtime
      const called = graph.calleesOf[func]!.reduce((sum, edge) => sum + edgeTime(graph, edge), 0)
      const value = cumtime > 0 ? cumtime : called
      return {
        func,
        edge: null,
        value,
        exact: value === cumtime,
        depth: 1,
        parent: top,
        children: [],
      }
    })
    .filter((root) => root.value > 0) // an entry point that took no time has nothing to draw
  const total = roots.reduce((sum, root) => sum + root.value, 0)
  top.value = total
  top.children = roots
  const threshold = total * minFraction
  let nodeCount = roots.length
  let truncated = false

  function expand(node: CallTreeNode, onPath: ReadonlySet<CallEdge>): CallTreeNode[] {
    const fn = functions[node.func]!
    // The share of the function's time this occurrence stands for (a time-less root: all of it).
    const scale = fn.cumtime > 0 ? node.value / fn.cumtime : node.depth === 1 ? 1 : 0
    const wholeFunction = node.exact && Math.abs(scale - 1) <= SAME
    const children: CallTreeNode[] = []
    let sum = 0
    for (const edge of graph.calleesOf[node.func]!) {
      if (edge.callee === edge.caller || onPath.has(edge)) continue
      const time = edgeTime(graph, edge) * scale
      sum += time
      if (time < threshold || time <= 0) continue
      children.push({
        func: edge.callee,
        edge,
        value: time,
        exact: wholeFunction && edge.cumtime !== null,
        depth: node.depth + 1,
        parent: node,
        children: [],
      })
    }
    children.sort((a, b) => b.value - a.value || a.func - b.func)
    if (sum > node.value * (1 + SAME)) fitInto(node.value, children)
    const kept = children.filter((child) => child.value >= threshold && child.value > 0)
    if (nodeCount + kept.length > maxNodes) {
      truncated = true
      return []
    }
    nodeCount += kept.length
    return (node.children = kept)
  }

  growDepthFirst(roots, expand)
  return { graph, top, roots, total, nodeCount, truncated }
}

/**
 * The edges of a recursive function count the calls of its inner occurrences too, so they can
 * add up to more than the occurrence itself (under `python -m cProfile`, `exec` calls the
 * script's `<module>` and, through imports nested in it, every imported module's `<module>`).
 * The heaviest children keep their time and the lighter ones get what is left, as estimates:
 * the inner calls happen inside the outer ones, so the overlap is in the lighter edges.
 */
function fitInto(available: number, heaviestFirst: CallTreeNode[]): void {
  let left = available
  for (const child of heaviestFirst) {
    if (child.value > left) {
      child.value = left
      child.exact = false
    }
    left -= child.value
  }
}

/**
 * Grows a tree from its roots, depth first with an explicit stack (call chains can be
 * thousands of functions deep): `expand` gives a node its children while the edges on the path
 * to it are known, so that no caller → callee edge is followed twice on one path.
 */
export function growDepthFirst(
  roots: readonly CallTreeNode[],
  expand: (node: CallTreeNode, onPath: ReadonlySet<CallEdge>) => void,
): void {
  const onPath = new Set<CallEdge>()
  for (const root of roots) {
    const stack: { node: CallTreeNode; next: number }[] = []
    const enter = (node: CallTreeNode) => {
      if (node.edge) onPath.add(node.edge)
      expand(node, onPath)
      stack.push({ node, next: 0 })
    }
    enter(root)
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!
      const child = top.node.children[top.next++]
      if (child) {
        enter(child)
      } else {
        if (top.node.edge) onPath.delete(top.node.edge)
        stack.pop()
      }
    }
  }
}

/** The callee's time when called by this caller: exact for cProfile, by call counts otherwise. */
function edgeTime(graph: CallGraph, edge: CallEdge): number {
  if (edge.cumtime !== null) return edge.cumtime
  const callee = graph.doc.functions[edge.callee]!
  return callee.primitiveCalls > 0
    ? callee.cumtime * Math.min(1, edge.ncalls / callee.primitiveCalls)
    : 0
}

/** A node's own time on this path: what its children do not account for. */
export function selfTime(node: CallTreeNode): number {
  return Math.max(0, node.value - node.children.reduce((sum, child) => sum + child.value, 0))
}

/** The path from the tree's top to a node, both included. */
export function pathTo(node: CallTreeNode): CallTreeNode[] {
  const path: CallTreeNode[] = []
  for (let at: CallTreeNode | null = node; at; at = at.parent) path.push(at)
  return path.reverse()
}

/**
 * What a chart of `root` leaves undrawn, level by level, for one cutoff: a chart draws `depth`
 * levels below its root and, at every level, only the children of at least `minFraction` of the
 * root's time (children are heaviest first). A node's time is its own time plus its children's,
 * so the time left undrawn is the sum of the values of the topmost undrawn nodes: the children
 * the cutoff drops (`cutBelow`) and, past the last level, the nodes the cutoff would keep
 * (`keptValue`). With these per level, `hiddenTimeAt` answers for any depth without walking the
 * tree again.
 */
export interface HiddenTime {
  root: CallTreeNode
  /** `keptValue[L]`: the time of the nodes L levels below the root that the cutoff keeps. */
  keptValue: number[]
  /** `cutBelow[L]`: the time of the children of the kept nodes at level L that the cutoff drops. */
  cutBelow: number[]
  /** `heaviest[L]`: the heaviest kept node at level L. */
  heaviest: CallTreeNode[]
}

export interface HiddenTimeOptions {
  /** The cutoff: children under this fraction of the root's value are not drawn. */
  minFraction: number
  /** The deepest level worth knowing (levels past the largest depth a chart accepts + 1). */
  maxLevel: number
}

/**
 * Walks the nodes the cutoff keeps, level by level, down to `maxLevel`: with the default cutoff
 * at most about 1/minFraction nodes per level, so cheap even in 100k-function trees.
 */
export function computeHiddenTime(
  root: CallTreeNode,
  { minFraction, maxLevel }: HiddenTimeOptions,
): HiddenTime {
  const threshold = Math.max(0, minFraction) * root.value
  const keptValue: number[] = [root.value]
  const cutBelow: number[] = []
  const heaviest: CallTreeNode[] = [root]
  let level: CallTreeNode[] = [root]
  for (let at = 0; level.length > 0; at++) {
    const next: CallTreeNode[] = []
    let cut = 0
    for (const node of level) {
      for (const child of node.children) {
        // The same test as the chart's layout (`keptChildren` in the web app's partition).
        if (child.value >= threshold && child.value > 0) next.push(child)
        else cut += child.value
      }
    }
    cutBelow[at] = cut
    if (at + 1 > maxLevel || next.length === 0) break
    let sum = 0
    let top = next[0]!
    for (const node of next) {
      sum += node.value
      if (node.value > top.value) top = node
    }
    keptValue[at + 1] = sum
    heaviest[at + 1] = top
    level = next
  }
  return { root, keptValue, cutBelow, heaviest }
}

/** The time a chart `depth` levels deep leaves undrawn, by what leaves it out. */
export interface HiddenShare {
  /** Time below the last level drawn (raising the depth would draw it). */
  byDepth: number
  /** Time in calls under the cutoff, at the levels drawn and just below. */
  byCutoff: number
}

export function hiddenTimeAt(hidden: HiddenTime, depth: number): HiddenShare {
  const last = Math.max(0, Math.floor(depth))
  let byCutoff = 0
  for (let at = 0; at <= last && at < hidden.cutBelow.length; at++) byCutoff += hidden.cutBelow[at]!
  return { byDepth: hidden.keptValue[last + 1] ?? 0, byCutoff }
}

/**
 * The smallest depth from `depth` up whose chart leaves at most `share` of the root's time below
 * its last level, within the levels `computeHiddenTime` walked.
 */
export function depthShowing(hidden: HiddenTime, depth: number, share: number): number {
  const limit = share * hidden.root.value
  let at = Math.max(0, Math.floor(depth))
  while (at + 1 < hidden.keptValue.length && hidden.keptValue[at + 1]! > limit) at++
  return at
}
