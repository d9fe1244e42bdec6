import { describe, expect, it } from 'vitest'
import { buildCallTree, selfTime, type CallTreeNode } from '@profhub/profile'
import { graphFromStacks } from '@profhub/profile/testing'
import { computePartition } from '../../layout/partition.ts'
import { computeHiddenNotes, computeLowerCutoff, selectHiddenTime } from './hidden-notes.ts'

// A chain 15 calls deep ending in the busy function (80 %), beside many small calls (15 %).
const chain = Array.from({ length: 15 }, (_, i) => `f${i + 1}`).join(';')
const small = Array.from({ length: 30 }, (_, i) => `main;many;s${i} 0.05`).join('\n')
const doc = graphFromStacks(`main;${chain};busy 8\nmain 0.5\n${small}`)
const tree = buildCallTree(doc, { minFraction: 0 })
const main = tree.roots[0]!
const nameOf = (node: CallTreeNode) => doc.functions[node.func]!.name

/** The time of the calls a chart leaves out, from its layout: what a note should count. */
function undrawnTime(root: CallTreeNode, depth: number, cutoff: number): number {
  const { cells } = computePartition(root, { depth, minFraction: cutoff / 100 })
  const drawn = new Set(cells.map((c) => c.node))
  let sum = 0
  for (const { node } of cells) {
    for (const child of node.children) if (!drawn.has(child)) sum += child.value
  }
  return sum
}

describe('computeHiddenNotes', () => {
  it('says what the depth hides and offers the depth that shows it', () => {
    const notes = computeHiddenNotes(selectHiddenTime(main, 0.1), {
      depth: 10,
      cutoff: 0.1,
      truncated: false,
    })
    expect(notes.depth).toEqual({
      text: 'Depth 10 hides 80 % of the time',
      label: 'Draw 16 levels',
      action: { kind: 'depth', depth: 16 },
    })
    expect(notes.cutoff).toBeNull()
    // What the note counts is what the chart's layout leaves out.
    expect(undrawnTime(main, 10, 0.1)).toBeCloseTo(0.8 * main.value, 9)
    expect(
      computeHiddenNotes(selectHiddenTime(main, 0.1), { depth: 16, cutoff: 0.1, truncated: false }),
    ).toEqual({ depth: null, cutoff: null })
  })

  it('offers to focus deeper when more levels would not fit', () => {
    const notes = computeHiddenNotes(selectHiddenTime(main, 0.1), {
      depth: 4,
      cutoff: 0.1,
      truncated: true,
    })
    expect(notes.depth?.text).toBe('The 4 levels that fit hide 80 % of the time')
    expect(notes.depth?.label).toBe('Focus deeper')
    const action = notes.depth!.action
    expect(action.kind === 'focus' && nameOf(action.node)).toBe('f4')
  })

  it('says what the cutoff hides and finds a cutoff that shows it', () => {
    // Each small call is 0.5 % of main: a 1 % cutoff leaves out all 15 % of them.
    const notes = computeHiddenNotes(selectHiddenTime(main, 1), {
      depth: 20,
      cutoff: 1,
      truncated: false,
    })
    expect(notes.depth).toBeNull()
    expect(notes.cutoff).toEqual({
      text: 'Cutoff 1 % hides 15 % of the time',
      label: 'Lower the cutoff',
      action: { kind: 'cutoff' },
    })
    expect(computeLowerCutoff(main, 20, 1)).toBe(0.2)
    expect(undrawnTime(main, 20, 1)).toBeCloseTo(0.15 * main.value, 9)
    expect(undrawnTime(main, 20, 0.2)).toBe(0)
    expect(computeLowerCutoff(main, 20, 0.2)).toBe(0.1)
  })

  it('is silent when little is hidden, and keeps one walk per focus and cutoff', () => {
    const many = main.children.find((c) => nameOf(c) === 'many')!
    expect(selfTime(many)).toBe(0)
    const hidden = selectHiddenTime(many, 0.1)
    expect(selectHiddenTime(many, 0.1)).toBe(hidden)
    expect(computeHiddenNotes(hidden, { depth: 1, cutoff: 0.1, truncated: false })).toEqual({
      depth: null,
      cutoff: null,
    })
  })
})
