import { describe, expect, it } from 'vitest'
import { buildCallTree, type CallTree, type CallTreeNode } from '@profhub/profile'
import { graphFromStacks } from '@profhub/profile/testing'
import {
  commonAncestor,
  computePartition,
  computeZoom,
  findCellAt,
  interpolateViewport,
  spanOf,
  stepCell,
  type Partition,
} from './partition.ts'

// Single callers all the way down, so every value is exact:
// main 10 = a 6 (c 4, d 1, own 1) + b 3 (e 3) + own 1
const tree = buildCallTree(
  graphFromStacks(`
    main;a;c 4
    main;a;d 1
    main;a 1
    main;b;e 3
    main 1
  `),
)

function nameOf(t: CallTree, node: CallTreeNode): string {
  return node.func < 0 ? 'All' : t.graph.doc.functions[node.func]!.name
}

/** `  name [x0, x1)` per cell, indented by level. */
function formatPartition(p: Partition): string[] {
  return p.cells.map(
    (c) =>
      `${'  '.repeat(c.level)}${nameOf(tree, c.node)} [${c.x0.toFixed(2)}, ${c.x1.toFixed(2)})`,
  )
}

function find(path: string): CallTreeNode {
  let node = tree.top
  for (const name of path.split('/')) {
    node = node.children.find((c) => nameOf(tree, c) === name)!
  }
  return node
}

describe('computePartition', () => {
  it('lays the focused subtree out by value, leaving each parent’s own time as a gap', () => {
    expect(formatPartition(computePartition(tree.top, { depth: 10, minFraction: 0 }))).toEqual([
      'All [0.00, 1.00)',
      '  main [0.00, 1.00)',
      '    a [0.00, 0.60)',
      '      c [0.00, 0.40)',
      '      d [0.40, 0.50)',
      '    b [0.60, 0.90)',
      '      e [0.60, 0.90)',
    ])
  })

  it('starts at the focused node and stops at depth', () => {
    const p = computePartition(find('main/a'), { depth: 1, minFraction: 0 })
    expect(formatPartition(p)).toEqual(['a [0.00, 1.00)', '  c [0.00, 0.67)', '  d [0.67, 0.83)'])
    expect(p.truncated).toBe(false)
  })

  it('drops nodes under the cutoff of the focused value', () => {
    const p = computePartition(find('main'), { depth: 10, minFraction: 0.2 })
    expect(formatPartition(p)).toEqual([
      'main [0.00, 1.00)',
      '  a [0.00, 0.60)',
      '    c [0.00, 0.40)',
      '  b [0.60, 0.90)',
      '    e [0.60, 0.90)',
    ])
  })

  it('keeps within the cell budget by leaving out whole levels', () => {
    const p = computePartition(tree.top, { depth: 10, minFraction: 0, maxCells: 5 })
    expect(p.truncated).toBe(true)
    expect(p.levels.map((row) => row.length)).toEqual([1, 1, 2])
    expect(computePartition(tree.top, { depth: 10, minFraction: 0, maxCells: 7 }).truncated).toBe(
      false,
    )
  })

  it('indexes levels left to right, parents and first children', () => {
    const p = computePartition(tree.top, { depth: 10, minFraction: 0 })
    expect(p.levels.map((row) => row.map((i) => nameOf(tree, p.cells[i]!.node)))).toEqual([
      ['All'],
      ['main'],
      ['a', 'b'],
      ['c', 'd', 'e'],
    ])
    const a = p.indexOf.get(find('main/a'))!
    expect(nameOf(tree, p.cells[p.cells[a]!.parent]!.node)).toBe('main')
    expect(nameOf(tree, p.cells[p.cells[a]!.firstChild]!.node)).toBe('c')
  })
})

describe('findCellAt', () => {
  const p = computePartition(tree.top, { depth: 10, minFraction: 0 })
  const at = (level: number, x: number) => {
    const i = findCellAt(p, level, x)
    return i < 0 ? null : nameOf(tree, p.cells[i]!.node)
  }
  it('finds the cell under a point, and nothing in a parent’s own-time gap', () => {
    expect(at(2, 0.1)).toBe('a')
    expect(at(2, 0.65)).toBe('b')
    expect(at(2, 0.95)).toBe(null)
    expect(at(3, 0.45)).toBe('d')
    expect(at(3, 0.55)).toBe(null)
    expect(at(9, 0.1)).toBe(null)
    expect(at(1, 1.5)).toBe(null)
  })
})

describe('stepCell', () => {
  const p = computePartition(tree.top, { depth: 10, minFraction: 0 })
  const name = (i: number) => nameOf(tree, p.cells[i]!.node)
  const d = p.indexOf.get(find('main/a/d'))!
  it('moves to the parent, the heaviest child and the neighbours on the same level', () => {
    expect(name(stepCell(p, d, 'parent'))).toBe('a')
    expect(name(stepCell(p, stepCell(p, d, 'parent'), 'child'))).toBe('c')
    expect(name(stepCell(p, d, 'next'))).toBe('e')
    expect(name(stepCell(p, d, 'previous'))).toBe('c')
    expect(stepCell(p, 0, 'parent')).toBe(0)
    expect(stepCell(p, d, 'child')).toBe(d)
  })
})

describe('zooms', () => {
  it('knows where a node lies under an ancestor, laid out or not', () => {
    expect(spanOf(find('main/a/d'), tree.top)).toEqual({
      x0: expect.closeTo(0.4),
      x1: expect.closeTo(0.5),
      level: 3,
    })
    expect(spanOf(tree.top, tree.top)).toEqual({ x0: 0, x1: 1, level: 0 })
  })

  it('goes through the common ancestor', () => {
    expect(nameOf(tree, commonAncestor(find('main/a/c'), find('main/b/e')))).toBe('main')
    expect(nameOf(tree, commonAncestor(find('main/a/c'), find('main/a')))).toBe('a')
    const zoom = computeZoom(find('main/a/c'), find('main/b'), { depth: 2, minFraction: 0 })!
    expect(nameOf(tree, zoom.partition.root)).toBe('main')
    expect(zoom.from).toEqual({ x0: 0, x1: expect.closeTo(0.4), level: 2 })
    expect(zoom.to).toEqual({ x0: expect.closeTo(0.6), x1: expect.closeTo(0.9), level: 1 })
    // Deep enough for both ends: main + 2 levels below b, + 2 more below c (which has none).
    expect(zoom.partition.levels.length).toBe(3)
    expect(interpolateViewport(zoom.from, zoom.to, 0)).toEqual(zoom.from)
    expect(interpolateViewport(zoom.from, zoom.to, 1)).toEqual(zoom.to)
    expect(interpolateViewport(zoom.from, zoom.to, 0.5).level).toBeCloseTo(1.5)
  })

  it('gives up on a zoom too big to lay out', () => {
    expect(
      computeZoom(find('main/a/c'), tree.top, { depth: 10, minFraction: 0, maxCells: 3 }),
    ).toBeNull()
  })
})
