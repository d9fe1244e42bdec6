import { describe, expect, it } from 'vitest'
import { formatTree } from './format.ts'
import { buildInvertedTree } from './inverted-tree.ts'
import type { CallEdge, FunctionStats, ProfileDocument } from './pstats.ts'
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

  it('does not call a lone recorded caller exact when pstats gives it only part of the time', () => {
    // `python -m cProfile app.py`: cProfile's `exec` runs app.py with no caller recorded; app.py
    // imports lib, and the import runs `exec` again through `_call_with_frames_removed`. So
    // `exec` has a single recorded caller, whose edge holds 1.9 ms of exec's 1.7019 s.
    const fn = (
      line: number,
      name: string,
      ncalls: number,
      tottime: number,
      cumtime: number,
    ): FunctionStats => ({
      file: 'app.py',
      line,
      name,
      ncalls,
      primitiveCalls: 1,
      tottime,
      cumtime,
    })
    const edge = (caller: number, callee: number, tottime: number, cumtime: number): CallEdge => ({
      caller,
      callee,
      ncalls: 1,
      primitiveCalls: 1,
      tottime,
      cumtime,
    })
    const doc: ProfileDocument = {
      sourceFormat: 'cProfile',
      pythonVersion: '3.11.7',
      summary: { totalTime: 1.7019, totalCalls: 6, primitiveCalls: 5, functionCount: 5 },
      functions: [
        { ...fn(0, 'exec', 2, 0, 1.7019), file: '~' },
        fn(1, '<module>', 1, 0, 1.7019),
        fn(5, 'work', 1, 1.7, 1.7),
        fn(233, '_call_with_frames_removed', 1, 0, 0.0019),
        { ...fn(1, 'lib', 1, 0.0019, 0.0019), file: 'lib.py' },
      ],
      edges: [
        edge(3, 0, 0, 0.0019), // _call_with_frames_removed → exec: the import's exec only
        edge(0, 1, 0, 1.7019), // exec → app.py's <module>
        edge(1, 2, 1.7, 1.7), // <module> → work
        edge(1, 3, 0, 0.0019), // <module> → _call_with_frames_removed (import lib)
        edge(0, 4, 0.0019, 0.0019), // exec → lib's <module>
      ],
    }
    // Before: `_call_with_frames_removed 1.7`, exact, under `work`'s exec.
    expect(formatTree(buildInvertedTree(doc), 4)).toEqual([
      '- work 1.7',
      '  - <module> 1.7',
      '    - exec 1.7',
      '      - _call_with_frames_removed ≈1.7',
      '        - <module> ≈1.7',
      '- lib 0.0019',
      '  - exec 0.0019',
      '    - _call_with_frames_removed ≈0.0019',
      '      - <module> ≈0.0019',
      '        - exec ≈0.0019',
    ])
  })

  it('does not call the caller of a recursive function exact', () => {
    // Two of g's three seconds were called by an f that f called, not main.
    const doc = graphFromStacks('main;f;f;g 2\nmain;f;g 1')
    expect(formatTree(buildInvertedTree(doc))).toEqual(['- g 3', '  - f 3', '    - main ≈3'])
  })
})
