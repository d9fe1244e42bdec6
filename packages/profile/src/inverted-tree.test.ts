import { describe, expect, it } from 'vitest'
import { formatTree } from './format.ts'
import { buildInvertedTree } from './inverted-tree.ts'
import { graphFromStacks, withoutEdgeTimes } from './testing.ts'

describe('buildInvertedTree', () => {
  it('puts own time first, then the callers responsible for it, exact one level down', () => {
    const doc = graphFromStacks(`
      main;a;c 4
      main;b;c 1
      main;a 2
    `)
    expect(formatTree(buildInvertedTree(doc))).toEqual([
      '- c 5',
      '  - a 4',
      '    - main 4',
      '  - b 1',
      '    - main 1',
      '- a 2',
      '  - main 2',
    ])
  })

  it('splits deeper levels by the callers’ cumulative time, as an estimate', () => {
    // a has two callers; pstats cannot tell which of them led to c (in truth: x, all of it).
    // a's own time is exact again: the y → a edge holds all of it.
    const doc = graphFromStacks(`
      main;x;a;c 3
      main;y;a 1
    `)
    expect(formatTree(buildInvertedTree(doc))).toEqual([
      '- c 3',
      '  - a 3',
      '    - x ≈2.25',
      '      - main ≈2.25',
      '    - y ≈0.75',
      '      - main ≈0.75',
      '- a 1',
      '  - y 1',
      '    - main 1',
    ])
  })

  it('gives a recursive function’s own time to whoever started the recursion', () => {
    const tree = buildInvertedTree(graphFromStacks('main;fib;fib;fib 3\nmain;fib 1'))
    expect(formatTree(tree)).toEqual(['- fib 4', '  - main ≈4'])
    expect(tree.total).toBe(4)
    expect(tree.top.value).toBe(4)
    expect(tree.top.children).toBe(tree.roots)
  })

  it('splits by call counts when edges have no times (the profile module)', () => {
    const doc = withoutEdgeTimes(graphFromStacks('main;a;c 4\nmain;b;c 1'))
    expect(formatTree(buildInvertedTree(doc))).toEqual([
      '- c 5',
      '  - a ≈2.5',
      '    - main ≈2.5',
      '  - b ≈2.5',
      '    - main ≈2.5',
    ])
  })

  it('drops what is under the cutoff and stops at the node budget', () => {
    const doc = graphFromStacks('main;big 99\nmain;tiny 1')
    expect(formatTree(buildInvertedTree(doc, { minFraction: 0.05 }))).toEqual([
      '- big 99',
      '  - main 99',
    ])
    const capped = buildInvertedTree(doc, { maxNodes: 3 })
    expect(capped.truncated).toBe(true)
    expect(capped.nodeCount).toBeLessThanOrEqual(3)
  })

  it('never gives a node more than its parent', () => {
    const tree = buildInvertedTree(
      graphFromStacks('main;a;b;a;c 2\nmain;b;a;c 1\nmain;a;c 1\nmain;c 1'),
    )
    const visit = (node: (typeof tree.roots)[number]) => {
      const sum = node.children.reduce((s, c) => s + c.value, 0)
      expect(sum).toBeLessThanOrEqual(node.value * (1 + 1e-9))
      node.children.forEach(visit)
    }
    tree.roots.forEach(visit)
  })
})
