import { describe, expect, it } from 'vitest'
import { buildCallTree, type CallTreeNode } from '@profhub/profile'
import { graphFromStacks } from '@profhub/profile/testing'
import { fitIcicle, hitTestIcicle, rectOf } from './icicle.ts'
import { computePartition, FULL_VIEW, spanOf } from './partition.ts'
import {
  arcCentre,
  arcOf,
  fitSunburst,
  hitTestSunburst,
  labelRoom,
  levelAtRadius,
  radiusAt,
} from './sunburst.ts'

// main 10 = a 6 (c 4, own 2) + b 4
const tree = buildCallTree(graphFromStacks('main;a;c 4\nmain;a 2\nmain;b 4'))
const names = tree.graph.doc.functions.map((f) => f.name)
const partition = computePartition(tree.top, { depth: 3, minFraction: 0 })
const cell = (name: string) =>
  partition.cells.find((c) => c.node.func >= 0 && names[c.node.func] === name)!
const nameAt = (i: number) =>
  i < 0 ? null : i === 0 ? 'All' : names[partition.cells[i]!.node.func]

describe('sunburst', () => {
  const frame = fitSunburst(200, 200, 4)
  it('fits the canvas with a margin', () => {
    expect(frame).toEqual({ cx: 100, cy: 100, radius: 94, levels: 4 })
  })

  // Depth 3: the centre and three rings in a radius of 100 → rings 20 wide, the centre 40.
  const f = { cx: 100, cy: 100, radius: 100, levels: 4 }
  it('gives the centre two rings and inverts its radii', () => {
    expect([0, 1, 2, 3, 4].map((y) => radiusAt(f, y))).toEqual([0, 40, 60, 80, 100])
    expect(radiusAt(f, -1)).toBe(0)
    for (const r of [0, 15, 30, 42, 89]) expect(radiusAt(f, levelAtRadius(f, r))).toBeCloseTo(r)
  })

  it('draws each cell as an arc clockwise from 12 o’clock', () => {
    expect(arcOf(cell('a'), FULL_VIEW, f)).toEqual({
      a0: 0,
      a1: expect.closeTo(0.6 * 2 * Math.PI),
      r0: 60,
      r1: 80,
    })
    expect(arcOf(partition.cells[0]!, FULL_VIEW, f)).toEqual({
      a0: 0,
      a1: 2 * Math.PI,
      r0: 0,
      r1: 40,
    })
    expect(arcCentre(arcOf(partition.cells[0]!, FULL_VIEW, f)!, f)).toEqual({ x: 100, y: 100 })
  })

  it('zoomed, puts the viewport’s node in the centre and hides what is outside', () => {
    const view = spanOf(cell('a').node, tree.top)
    expect(arcOf(cell('a'), view, f)).toEqual({ a0: 0, a1: 2 * Math.PI, r0: 0, r1: 40 })
    expect(arcOf(cell('b'), view, f)).toBeNull()
    expect(arcOf(cell('main'), view, f)).toBeNull()
  })

  it('hit-tests rings and angles', () => {
    const hit = (x: number, y: number, view = FULL_VIEW) =>
      nameAt(hitTestSunburst(partition, view, f, x, y))
    expect(hit(100, 100)).toBe('All')
    expect(hit(100, 100 - 50)).toBe('main') // straight up, ring 1
    expect(hit(100 + 70, 100 - 1)).toBe('a') // 3 o'clock is 25 % of the turn: in a
    expect(hit(100 - 70, 100 - 1)).toBe('b') // 9 o'clock is 75 %: in b
    expect(hit(100 + 90, 100 - 1)).toBe('c')
    expect(hit(100, 100 + 90)).toBe(null) // 50 %, level 3: c ends at 40 %
    expect(hit(100, 100 - 101)).toBe(null) // outside
    const view = spanOf(cell('a').node, tree.top)
    expect(hit(100, 100, view)).toBe('a')
    expect(hit(100, 100 - 50, view)).toBe('c')
  })
})

describe('icicle', () => {
  it('picks a row height that fits, within bounds', () => {
    expect(fitIcicle(300, 100, 4).rowHeight).toBe(25)
    expect(fitIcicle(300, 1000, 4).rowHeight).toBe(30)
    expect(fitIcicle(300, 10, 4).rowHeight).toBe(18)
  })

  const f = { width: 1000, height: 100, rowHeight: 20 }
  it('draws rows top down, widths by share', () => {
    expect(rectOf(cell('a'), FULL_VIEW, f)).toEqual({ x: 0, y: 40, w: expect.closeTo(600), h: 20 })
    expect(rectOf(cell('b'), FULL_VIEW, f)).toEqual({
      x: expect.closeTo(600),
      y: 40,
      w: expect.closeTo(400),
      h: 20,
    })
    const view = spanOf(cell('a').node, tree.top)
    expect(rectOf(cell('c'), view, f)).toEqual({ x: 0, y: 20, w: expect.closeTo(666.67), h: 20 })
    expect(rectOf(cell('main'), view, f)).toBeNull()
  })

  it('hit-tests', () => {
    const hit = (x: number, y: number) => nameAt(hitTestIcicle(partition, FULL_VIEW, f, x, y))
    expect(hit(10, 5)).toBe('All')
    expect(hit(650, 45)).toBe('b')
    expect(hit(10, 65)).toBe('c')
    expect(hit(500, 65)).toBe(null)
    expect(hit(-1, 5)).toBe(null)
  })
})

// Keeps the helpers honest about the tree they read.
it('the example tree is what the comments say', () => {
  const values = (n: CallTreeNode): unknown => [
    n.func < 0 ? 'All' : names[n.func],
    n.value,
    n.children.map(values),
  ]
  expect(values(tree.top)).toEqual([
    'All',
    10,
    [
      [
        'main',
        10,
        [
          ['a', 6, [['c', 4, []]]],
          ['b', 4, []],
        ],
      ],
    ],
  ])
})

describe('sunburst label room', () => {
  it('puts text along a wide arc, along the radius of a thin one, nowhere in a sliver', () => {
    // A quarter of a ring 20 wide at radius 100: a long straight line fits along it.
    const wide = labelRoom({ a0: 0, a1: Math.PI / 2, r0: 100, r1: 120 }, 12)!
    expect(wide.orientation).toBe('tangential')
    expect(wide.width).toBeGreaterThan(70)
    expect(wide.width).toBeLessThan(2 * Math.sqrt(120 ** 2 - 113 ** 2))
    expect(wide.r).toBe(107)
    // 1/40 of a turn in a ring 60 wide: about 16 px across, 60 along.
    const thin = labelRoom({ a0: 0, a1: (2 * Math.PI) / 40, r0: 100, r1: 160 }, 12)!
    expect(thin).toEqual({ orientation: 'radial', width: 54, r: 130 })
    expect(labelRoom({ a0: 0, a1: 0.01, r0: 100, r1: 120 }, 12)).toBeNull()
  })
})
