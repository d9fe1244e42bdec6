/**
 * Test helpers: build a profile document from stacks in a tiny text notation, recording what
 * cProfile would record for them, so a test can compare the estimated tree with the real stacks.
 *
 *     main;a;c 4      one call chain per line, root first, then its own time in seconds
 *     main;b;a;d 1.5
 */
import type { CallEdge, FunctionStats, ProfileDocument } from './pstats.ts'

export function graphFromStacks(text: string): ProfileDocument {
  const functions: FunctionStats[] = []
  const indexOf = new Map<string, number>()
  const edges = new Map<string, CallEdge>()
  const funcIndex = (name: string) => {
    let index = indexOf.get(name)
    if (index === undefined) {
      index = functions.length
      indexOf.set(name, index)
      functions.push({
        file: 't.py',
        line: index + 1,
        name,
        ncalls: 0,
        primitiveCalls: 0,
        tottime: 0,
        cumtime: 0,
      })
    }
    return index
  }

  for (const line of text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const [stackText = '', weightText = ''] = line.split(/\s+/)
    const stack = stackText.split(';').map(funcIndex)
    const weight = Number(weightText)
    const seenFuncs = new Set<number>()
    const seenPairs = new Set<string>()
    stack.forEach((f, depth) => {
      const fn = functions[f]!
      fn.ncalls += 1
      if (!seenFuncs.has(f)) {
        // cProfile counts time once per outermost call: recursion does not double it.
        seenFuncs.add(f)
        fn.primitiveCalls += 1
        fn.cumtime += weight
      }
      const isLeaf = depth === stack.length - 1
      if (isLeaf) fn.tottime += weight
      if (depth === 0) return
      const caller = stack[depth - 1]!
      const key = `${caller},${f}`
      const edge = edges.get(key) ?? {
        caller,
        callee: f,
        ncalls: 0,
        primitiveCalls: 0,
        tottime: 0,
        cumtime: 0,
      }
      edges.set(key, edge)
      edge.ncalls += 1
      if (isLeaf) edge.tottime! += weight
      if (!seenPairs.has(key)) {
        seenPairs.add(key)
        edge.primitiveCalls! += 1
        edge.cumtime! += weight
      }
    })
  }
  return {
    sourceFormat: 'cProfile',
    pythonVersion: null,
    summary: {
      totalTime: functions.reduce((sum, fn) => sum + fn.tottime, 0),
      totalCalls: functions.reduce((sum, fn) => sum + fn.ncalls, 0),
      primitiveCalls: functions.reduce((sum, fn) => sum + fn.primitiveCalls, 0),
      functionCount: functions.length,
    },
    functions,
    edges: [...edges.values()].sort((a, b) => a.callee - b.callee || a.caller - b.caller),
  }
}

/** Like cProfile's `profile`-module sibling: edges keep call counts only. */
export function withoutEdgeTimes(doc: ProfileDocument): ProfileDocument {
  return {
    ...doc,
    sourceFormat: 'profile',
    edges: doc.edges.map((edge) => ({
      ...edge,
      primitiveCalls: null,
      tottime: null,
      cumtime: null,
    })),
  }
}
