import { describe, expect, it } from 'vitest'
import { buildCallTree, computeHiddenTime, depthShowing, hiddenTimeAt } from './call-tree.ts'
import { graphFromStacks } from './testing.ts'

// main → a → b → c → read holds 8 of the 10 seconds; main → small → tiny{1..4} the rest.
const deep = buildCallTree(
  graphFromStacks(`
    main;a;b;c;read 8
    main 1
    main;small;t1 0.25
    main;small;t2 0.25
    main;small;t3 0.25
    main;small;t4 0.25
  `),
)
const main = deep.roots[0]!

describe('computeHiddenTime', () => {
  it('says how much time lies below the last level drawn', () => {
    const hidden = computeHiddenTime(main, { minFraction: 0, maxLevel: 101 })
    expect(hidden.keptValue).toEqual([10, 9, 9, 8, 8])
    expect(hiddenTimeAt(hidden, 1)).toEqual({ byDepth: 9, byCutoff: 0 })
    expect(hiddenTimeAt(hidden, 3)).toEqual({ byDepth: 8, byCutoff: 0 })
    expect(hiddenTimeAt(hidden, 4)).toEqual({ byDepth: 0, byCutoff: 0 })
    expect(hidden.heaviest.map((node) => deep.graph.doc.functions[node.func]!.name)).toEqual([
      'main',
      'a',
      'b',
      'c',
      'read',
    ])
  })

  it('counts the calls under the cutoff apart, at the levels drawn and just below', () => {
    // 3 % of main's 10 s: each t is 0.25 s, under 0.3 s.
    const hidden = computeHiddenTime(main, { minFraction: 0.03, maxLevel: 101 })
    expect(hidden.keptValue).toEqual([10, 9, 8, 8, 8])
    expect(hiddenTimeAt(hidden, 0)).toEqual({ byDepth: 9, byCutoff: 0 })
    expect(hiddenTimeAt(hidden, 1)).toEqual({ byDepth: 8, byCutoff: 1 })
    expect(hiddenTimeAt(hidden, 9)).toEqual({ byDepth: 0, byCutoff: 1 })
    // Small drops out when the cutoff passes its 1 s.
    const coarse = computeHiddenTime(main, { minFraction: 0.2, maxLevel: 101 })
    expect(hiddenTimeAt(coarse, 9)).toEqual({ byDepth: 0, byCutoff: 1 })
    expect(coarse.keptValue).toEqual([10, 8, 8, 8, 8])
  })

  it('stops at maxLevel and finds the depth that shows the time', () => {
    const hidden = computeHiddenTime(main, { minFraction: 0, maxLevel: 2 })
    expect(hidden.keptValue).toEqual([10, 9, 9])
    expect(depthShowing(hidden, 1, 0.1)).toBe(2)
    const all = computeHiddenTime(main, { minFraction: 0, maxLevel: 101 })
    expect(depthShowing(all, 1, 0.1)).toBe(4)
    expect(depthShowing(all, 6, 0.1)).toBe(6)
    expect(depthShowing(all, 1, 0.95)).toBe(1)
  })

  it('is measured from a focused node, whatever its depth in the tree', () => {
    const b = main.children[0]!.children[0]!
    const hidden = computeHiddenTime(b, { minFraction: 0.001, maxLevel: 101 })
    expect(hiddenTimeAt(hidden, 1)).toEqual({ byDepth: 8, byCutoff: 0 })
    expect(hiddenTimeAt(hidden, 2)).toEqual({ byDepth: 0, byCutoff: 0 })
  })
})
