import { describe, expect, it } from 'vitest'
import { buildCallTree, type CallTreeNode } from '@profhub/profile'
import { graphFromStacks } from '@profhub/profile/testing'
import { computeHeaviestOccurrences, computeRevealingFocus } from './focus-path.ts'

// A chain 15 calls deep ending in the busy function, beside a light one.
const chain = Array.from({ length: 15 }, (_, i) => `f${i + 1}`).join(';')
const doc = graphFromStacks(`main;${chain};busy 9\nmain;light 1`)
const tree = buildCallTree(doc, { minFraction: 0 })
const nameOf = (node: CallTreeNode) => (node.func < 0 ? 'All' : doc.functions[node.func]!.name)
const busy = computeHeaviestOccurrences(tree)[doc.functions.findIndex((f) => f.name === 'busy')]!

describe('computeRevealingFocus', () => {
  it('focuses the ancestor depth - 1 levels up, so the node shows whatever the depth', () => {
    expect(busy.depth).toBe(17)
    for (const depth of [1, 2, 5, 10]) {
      const focus = computeRevealingFocus(busy, depth, 0.1)
      // At least the caller, and the node within the levels drawn below the focus.
      expect(busy.depth - focus.depth).toBe(Math.max(1, depth - 1))
    }
    expect(nameOf(computeRevealingFocus(busy, 10, 0.1))).toBe('f7')
  })

  it('goes no higher than the top of the tree', () => {
    const focus = computeRevealingFocus(busy, 100, 0.1)
    expect(focus).toBe(tree.top)
    const light = tree.roots[0]!.children.find((c) => nameOf(c) === 'light')!
    expect(computeRevealingFocus(light, 10, 0.1)).toBe(tree.top)
  })

  it('stops climbing where the cutoff would leave the node out', () => {
    const light = tree.roots[0]!.children.find((c) => nameOf(c) === 'light')!
    // light is 10 % of main and of the whole profile: a 20 % cutoff keeps it under main only.
    expect(nameOf(computeRevealingFocus(light, 10, 20))).toBe('main')
    expect(computeRevealingFocus(light, 10, 5)).toBe(tree.top)
  })
})
