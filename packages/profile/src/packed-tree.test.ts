import { describe, expect, it } from 'vitest'
import { buildCallTree } from './call-tree.ts'
import { formatTree } from './format.ts'
import { decodePackedTree, encodePackedTree, packTree, unpackTree } from './packed-tree.ts'
import { graphFromStacks, withoutEdgeTimes } from './testing.ts'

const doc = graphFromStacks(`
  main;a;c 4
  main;a;d 1
  main;b;a;c 1
  main;b;a;d 4
  main;b;len 2
`)

/** The bytes as they arrive from a fetch: an ArrayBuffer of their own. */
const received = (bytes: Uint8Array) => bytes.slice().buffer

describe('encodePackedTree / decodePackedTree', () => {
  it.each([
    ['with edge times', doc],
    ['estimated (the profile module)', withoutEdgeTimes(doc)],
  ])('carry a tree %s to the same tree over the page’s document', (_, profile) => {
    const tree = buildCallTree(profile, { minFraction: 0 })
    const back = unpackTree(decodePackedTree(received(encodePackedTree(packTree(tree)))), profile)

    expect(formatTree(back)).toEqual(formatTree(tree))
    expect([back.total, back.nodeCount, back.truncated]).toEqual([
      tree.total,
      tree.nodeCount,
      tree.truncated,
    ])
    const exact = (t: typeof tree) => t.roots[0]!.children.map((node) => node.exact)
    expect(exact(back)).toEqual(exact(tree))
    expect(back.roots[0]!.children[0]!.edge).toBe(tree.roots[0]!.children[0]!.edge)
  })

  it('keeps a truncated tree marked truncated', () => {
    const tree = buildCallTree(doc, { minFraction: 0, maxNodes: 3 })
    expect(tree.truncated).toBe(true)
    const back = decodePackedTree(received(encodePackedTree(packTree(tree))))
    expect(back.truncated).toBe(true)
  })

  it('refuses bytes that are not a packed tree, or are cut short', () => {
    const bytes = encodePackedTree(packTree(buildCallTree(doc, { minFraction: 0 })))
    expect(() => decodePackedTree(received(bytes.subarray(0, bytes.length - 1)))).toThrow(
      'wrong length',
    )
    expect(() => decodePackedTree(new TextEncoder().encode('{"rows":[]}').buffer)).toThrow(
      'not a packed call tree',
    )
    expect(() => decodePackedTree(new ArrayBuffer(0))).toThrow('not a packed call tree')
  })

  it('refuses to lay a tree over a document it was not built from', () => {
    const tree = packTree(buildCallTree(doc, { minFraction: 0 }))
    const smaller = graphFromStacks('main;a 1')
    expect(() => unpackTree(tree, smaller)).toThrow('does not fit')
  })
})
