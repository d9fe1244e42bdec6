import { describe, expect, it } from 'vitest'
import { buildCallTree, buildInvertedTree, type CallTreeNode } from '@profhub/profile'
import { graphFromStacks, withoutEdgeTimes } from '@profhub/profile/testing'
import { describeInvertedNode, describeNode, formatShare, summarizeNode } from './node-text.ts'

const doc = graphFromStacks(`
  main;a;c 4
  main;b;a;c 1
  main;b 1
`)
const tree = buildCallTree(doc)
const child = (node: CallTreeNode, name: string) =>
  node.children.find((c) => doc.functions[c.func]!.name === name)!
const main = tree.roots[0]!

describe('describeNode', () => {
  it('gives the tooltip’s numbers and says what is exact', () => {
    const a = child(main, 'a')
    expect(describeNode(doc, a, tree.total)).toEqual({
      fn: doc.functions[a.func],
      label: 't.py:2(a)',
      location: 't.py:2',
      rows: [
        ['cumtime', '4.00 s'],
        ['tottime', '0 s'],
        ['of total', '66.7 %'],
        ['ncalls', '2 (1 from this caller)'],
      ],
      exactness: 'exact: pstats’ caller → callee time',
      exact: true,
    })
    const c = child(a, 'c')
    expect(describeNode(doc, c, tree.total).exactness).toMatch(/^estimated: pstats has no stacks/)
    expect(describeNode(doc, tree.top, tree.total)).toMatchObject({
      label: 'All functions',
      fn: null,
    })
  })

  it('says when calls, not times, split an estimate (the profile module)', () => {
    const old = withoutEdgeTimes(doc)
    const t = buildCallTree(old)
    const c = child(child(t.roots[0]!, 'a'), 'c')
    expect(describeNode(old, c, t.total).exactness).toMatch(/split by calls$/)
  })
})

describe('describeInvertedNode', () => {
  const inverted = buildInvertedTree(doc)
  const c = inverted.roots.find((r) => doc.functions[r.func]!.name === 'c')!
  it('speaks of the root function’s own time', () => {
    expect(describeInvertedNode(doc, c, inverted.total).rows[0]).toEqual(['tottime', '5.00 s'])
    const a = c.children[0]!
    expect(describeInvertedNode(doc, a, inverted.total).rows[0]).toEqual([
      'c’s own time via here',
      '5.00 s',
    ])
    expect(describeInvertedNode(doc, a, inverted.total).exactness).toBe(
      'exact: pstats’ caller → callee tottime',
    )
  })

  it('says exact above the first caller only where the edge is all of the callee', () => {
    const whole = graphFromStacks('main;a;c 2\nmain;b;c 1')
    const t = buildInvertedTree(whole)
    const main = t.roots[0]!.children[0]!.children[0]!
    expect(whole.functions[main.func]!.name).toBe('main')
    expect(describeInvertedNode(whole, main, t.total)).toMatchObject({
      exactness: 'exact: pstats’ caller → callee edge holds all of the callee’s calls and time',
      exact: true,
    })
    // f's only outer caller is main, yet f also calls itself: which f called g is unknown.
    const recursive = graphFromStacks('main;f;f;g 2\nmain;f;g 1')
    const r = buildInvertedTree(recursive)
    const outer = r.roots[0]!.children[0]!.children[0]!
    expect(recursive.functions[outer.func]!.name).toBe('main')
    expect(describeInvertedNode(recursive, outer, r.total)).toMatchObject({
      exactness:
        'estimated: pstats has no stacks; split among the callers by their share of the time',
      exact: false,
    })
  })
})

describe('summarizeNode', () => {
  it('is one line, with untrusted names made safe to show', () => {
    const hostile = {
      ...doc,
      functions: [...doc.functions, { ...doc.functions[0]!, name: 'evil\u202eexe.py\n', line: 99 }],
    }
    const node: CallTreeNode = { ...main, func: doc.functions.length }
    expect(summarizeNode(hostile, node, tree.total)).toBe(
      'evil\\u202eexe.py\\n (t.py:99): 6.00 s, 100.0 % of the total',
    )
  })

  it('formats shares', () => {
    expect(formatShare(1, 3)).toBe('33.3 %')
    expect(formatShare(1, 300)).toBe('0.33 %')
    expect(formatShare(0, 3)).toBe('0.0 %')
    expect(formatShare(1, 0)).toBe('–')
  })
})
