/**
 * The bottom-up tree's honesty on every real profile in fixtures/, converted by the real shim:
 * a node marked exact shows what pstats records for its path.
 */
import { describe, expect, it } from 'vitest'
import { convertFixture, listProfiles } from '@profhub/fixtures'
import type { CallTreeNode } from './call-tree.ts'
import { buildInvertedTree } from './inverted-tree.ts'
import type { CallEdge, FunctionStats } from './pstats.ts'

const MAX_DEPTH = 40 // deeper call chains add nothing the first forty levels do not check

function expectSame(actual: number | null, expected: number, what: string): void {
  expect(actual, what).not.toBeNull()
  const slack = 1e-9 * Math.max(Math.abs(actual!), Math.abs(expected)) + 1e-12 // summation order
  expect(Math.abs(actual! - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    slack,
  )
}

describe.each(listProfiles())('%s', (name) => {
  it(
    'marks a bottom-up node exact only when pstats records its time',
    { timeout: 120_000 },
    async () => {
      const doc = await convertFixture(name)
      const tree = buildInvertedTree(doc)
      const { functions } = doc
      const label = (fn: FunctionStats) => `${fn.file}:${fn.line}(${fn.name})`
      let exactBelowCallers = 0

      // path[0] is a root: a function's own time; path[1] is its caller, and so on.
      const visit = (node: CallTreeNode, path: CallTreeNode[]) => {
        const here = [...path, node]
        if (node.exact) {
          const root = here[0]!
          const rootFn = functions[root.func]!
          if (here.length === 1) {
            expectSame(node.value, rootFn.tottime, `root ${label(rootFn)}`)
          } else {
            // One level down: the caller → callee edge's tottime, the root's own time via it.
            const first: CallEdge = here[1]!.edge!
            expect(first.callee).toBe(root.func)
            expectSame(node.value, first.tottime ?? NaN, `via ${label(functions[first.caller]!)}`)
            // Further up, each step's edge must hold all of its callee's time, or the path's
            // share of the root's time is a guess.
            for (const step of here.slice(2)) {
              const edge = step.edge!
              const callee = functions[edge.callee]!
              const what = `${label(functions[edge.caller]!)} → ${label(callee)}`
              expectSame(edge.tottime, callee.tottime, `${what} tottime`)
              expectSame(edge.cumtime, callee.cumtime, `${what} cumtime`)
            }
            if (here.length > 2) exactBelowCallers++
          }
          // exact only below exact nodes
          if (path.length > 0) expect(path[path.length - 1]!.exact).toBe(true)
        }
        if (here.length < MAX_DEPTH) node.children.forEach((child) => visit(child, here))
      }
      tree.roots.forEach((root) => visit(root, []))

      // Not vacuous: a cProfile profile has functions called from one place only.
      if (doc.sourceFormat === 'cProfile' && tree.roots.length > 0) {
        expect(exactBelowCallers).toBeGreaterThan(0)
      }
    },
  )
})
