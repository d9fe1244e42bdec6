import { describe, expect, it } from 'vitest'
import {
  buildCallTree,
  formatTree,
  packTree,
  unpackTree,
  type CallTree,
  type CallTreeNode,
} from '@profhub/profile'
import { graphFromStacks, withoutEdgeTimes } from '@profhub/profile/testing'
import {
  computeHeaviestOccurrences,
  FOCUS_PATH,
  formatFocusPath,
  hashFunctionKey,
  resolveFocusPath,
} from './focus-path.ts'
import { packProfile, unpackProfile } from './packed-tree.ts'

const doc = graphFromStacks(`
  main;a;c 4
  main;a;d 1
  main;b;a;c 1
  main;b;a;d 4
  main;b;len 2
`)
const tree = buildCallTree(doc, { minFraction: 0 })
const step = (func: number) => hashFunctionKey(`t.py:${func + 1}:${doc.functions[func]!.name}`)
const nameOf = (node: CallTreeNode) => (node.func < 0 ? 'All' : doc.functions[node.func]!.name)
const path = (node: CallTreeNode) => {
  const names: string[] = []
  for (let at: CallTreeNode | null = node; at; at = at.parent) names.unshift(nameOf(at))
  return names.join('/')
}
function find(names: string): CallTreeNode {
  let node = tree.top
  for (const name of names.split('/')) node = node.children.find((c) => nameOf(c) === name)!
  return node
}

describe('packed trees', () => {
  it('round-trip through typed arrays to the same tree over the page’s document', () => {
    const packed = packTree(buildCallTree(unpackProfile(packProfile(doc)), { minFraction: 0 }))
    const back: CallTree = unpackTree(packed, doc)
    expect(formatTree(back)).toEqual(formatTree(tree))
    expect(back.total).toBe(tree.total)
    expect(back.nodeCount).toBe(tree.nodeCount)
    const a = back.top.children[0]!.children.find((c) => c.func === find('main/a').func)!
    expect(a.edge).toBe(find('main/a').edge) // the page's own edge objects
    expect(a.parent?.parent).toBe(back.top)
    expect(a.depth).toBe(2)
    expect(back.graph.doc).toBe(doc)
  })

  it('keep null edge times null (the profile module)', () => {
    const old = withoutEdgeTimes(doc)
    const packed = packTree(buildCallTree(unpackProfile(packProfile(old)), { minFraction: 0 }))
    expect(formatTree(unpackTree(packed, old))).toEqual(
      formatTree(buildCallTree(old, { minFraction: 0 })),
    )
    expect(unpackProfile(packProfile(old)).edges[0]!.cumtime).toBeNull()
  })
})

describe('focus paths', () => {
  it('hash keys to short URL-safe steps', () => {
    expect(hashFunctionKey('/opt/app/recursion.py:7:fib')).toMatch(/^[0-9a-z]{1,7}$/)
    expect(hashFunctionKey('a')).not.toBe(hashFunctionKey('b'))
    expect(hashFunctionKey('')).toBe((0x811c9dc5).toString(36))
  })

  it('name a node by the functions on its path and resolve back to it', () => {
    const node = find('main/b/a/d')
    const focus = formatFocusPath(node, step)!
    expect(focus).toMatch(FOCUS_PATH)
    expect(focus.split('.')).toHaveLength(4)
    expect(resolveFocusPath(tree, focus, step)).toBe(node)
    expect(formatFocusPath(tree.top, step)).toBeNull()
    expect(resolveFocusPath(tree, null, step)).toBe(tree.top)
  })

  it('survive a rebuild of the tree (indexes of nodes may change, functions do not)', () => {
    const again = buildCallTree(graphFromStacks('main;b;a;d 4\nmain;b;len 2\nmain;a;c 4'), {
      minFraction: 0,
    })
    const focus = formatFocusPath(find('main/b/a'), step)
    // In the new profile `a` is function 3 (line 4): same name, another key, so the path
    // stops at the last step that still matches.
    const names = again.graph.doc.functions
    const stepAgain = (f: number) => hashFunctionKey(`t.py:${f + 1}:${names[f]!.name}`)
    expect(nameOf(resolveFocusPath(again, focus, stepAgain))).toBe('main')
  })

  it('resolve as deep as they match', () => {
    const focus = formatFocusPath(find('main/b'), step)!
    expect(path(resolveFocusPath(tree, `${focus}.zzzz`, step))).toBe('All/main/b')
    expect(path(resolveFocusPath(tree, 'zzzz', step))).toBe('All')
  })
})

describe('heaviest occurrences', () => {
  it('pick the node with the most time among a function’s nodes', () => {
    const heaviest = computeHeaviestOccurrences(tree)
    const at = (name: string) => path(heaviest[doc.functions.findIndex((f) => f.name === name)]!)
    expect(at('a')).toBe('All/main/a') // 5 under main, 5 under b: the first one
    expect(at('len')).toBe('All/main/b/len')
    expect(at('main')).toBe('All/main')
    expect(formatTree(tree)).toContain('  - b 7')
  })
})
