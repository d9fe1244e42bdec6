import type { CallEdge, ProfileDocument } from './pstats.ts'

export type FuncIndex = number

/**
 * The profile's call graph with both directions indexed: `callersOf[f]` and `calleesOf[f]` list
 * the edges into and out of function `f` (indices into `doc.edges`), each in `doc.edges` order.
 */
export interface CallGraph {
  doc: ProfileDocument
  callersOf: CallEdge[][]
  calleesOf: CallEdge[][]
}

export function buildCallGraph(doc: ProfileDocument): CallGraph {
  const callersOf: CallEdge[][] = doc.functions.map(() => [])
  const calleesOf: CallEdge[][] = doc.functions.map(() => [])
  for (const edge of doc.edges) {
    callersOf[edge.callee]!.push(edge)
    calleesOf[edge.caller]!.push(edge)
  }
  return { doc, callersOf, calleesOf }
}

/**
 * Where the call tree starts. pstats has no stacks, so the entry points have to be inferred:
 * first every function nobody else calls (`<method 'disable' ...>`, thread entry points); then,
 * while some function is unreachable from those, the heaviest unreachable one. The second rule
 * finds the profiler's own entry, which usually sits in a cycle: under `python -m cProfile`,
 * `exec` runs the script's `<module>`, whose imports call `exec` again, so `exec` has callers.
 * Ordered by cumulative time, heaviest first (ties by index, so the result is deterministic).
 */
export function findRoots(graph: CallGraph): FuncIndex[] {
  const { functions } = graph.doc
  const reached = new Uint8Array(functions.length)
  const roots: FuncIndex[] = []
  const reachFrom = (root: FuncIndex) => {
    const stack = [root]
    reached[root] = 1
    while (stack.length > 0) {
      for (const edge of graph.calleesOf[stack.pop()!]!) {
        if (!reached[edge.callee]) {
          reached[edge.callee] = 1
          stack.push(edge.callee)
        }
      }
    }
  }
  functions.forEach((_, f) => {
    if (graph.callersOf[f]!.every((edge) => edge.caller === f)) {
      roots.push(f)
      reachFrom(f)
    }
  })
  // Only what the first rule left unreached needs sorting: usually a handful of 100k functions.
  const unreached = functions.flatMap((_, f) => (reached[f] ? [] : [f]))
  for (const f of unreached.sort(heaviestFirst(graph))) {
    if (!reached[f]) {
      roots.push(f)
      reachFrom(f)
    }
  }
  return roots.sort(heaviestFirst(graph))
}

function heaviestFirst(graph: CallGraph) {
  const { functions } = graph.doc
  return (a: FuncIndex, b: FuncIndex) => functions[b]!.cumtime - functions[a]!.cumtime || a - b
}
