import { describe, expect, it } from 'vitest'
import { buildCallTree } from './call-tree.ts'
import { formatTree } from './format.ts'
import { graphFromStacks, withoutEdgeTimes } from './testing.ts'

const classic = graphFromStacks(`
  main;a;c 4
  main;a;d 1
  main;b;a;c 1
  main;b;a;d 4
`)

describe('buildCallTree', () => {
  it('keeps edge times exact one level down and marks the split below as estimated', () => {
    expect(formatTree(buildCallTree(classic))).toEqual([
      '- main 10',
      '  - a 5',
      '    - c ≈2.5',
      '    - d ≈2.5',
      '  - b 5',
      '    - a 5',
      '      - c ≈2.5',
      '      - d ≈2.5',
    ])
  })

  it('is exact all the way down when every function has a single caller', () => {
    const tree = buildCallTree(graphFromStacks('main;parse;lex 3\nmain;parse 1\nmain;emit 2'))
    expect(formatTree(tree)).toEqual(['- main 6', '  - parse 4', '    - lex 3', '  - emit 2'])
  })

  it('cuts recursion, leaving the recursive time with the first occurrence', () => {
    const tree = buildCallTree(
      graphFromStacks('main;fib;fib;fib 3\nmain;fib;fib;len 1\nmain;fib 1'),
    )
    expect(formatTree(tree)).toEqual(['- main 5', '  - fib 5', '    - len 1'])
  })

  it('finds the entry of a cycle when nothing is uncalled', () => {
    // exec runs <module>, whose import runs exec again: every function has a caller.
    const tree = buildCallTree(graphFromStacks('exec;mod;imp;exec;lib 2\nexec;mod 3'))
    // The inner exec is shown where it runs; what it calls is split by the usual estimate.
    expect(formatTree(tree)).toEqual([
      '- exec 5',
      '  - mod 5',
      '    - imp 2',
      '      - exec 2',
      '        - lib ≈0.8',
    ])
  })

  it('splits by call counts when edges have no times, as in the profile module', () => {
    const tree = buildCallTree(withoutEdgeTimes(classic))
    expect(formatTree(tree)).toEqual([
      '- main 10',
      '  - a ≈5',
      '    - c ≈2.5',
      '    - d ≈2.5',
      '  - b ≈5',
      '    - a ≈5',
      '      - c ≈2.5',
      '      - d ≈2.5',
    ])
  })

  it('drops subtrees under the cutoff and stops at the node budget', () => {
    const doc = graphFromStacks('main;big 99\nmain;tiny 0.5\nmain;tiny;leaf 0.5')
    expect(formatTree(buildCallTree(doc, { minFraction: 0.02 }))).toEqual([
      '- main 100',
      '  - big 99',
    ])
    const capped = buildCallTree(doc, { maxNodes: 2 })
    expect(capped.truncated).toBe(true)
    expect(capped.nodeCount).toBeLessThanOrEqual(2)
  })
})
