import { describe, expect, it } from 'vitest'
import {
  buildCallGraph,
  buildCallTree,
  diffCallTrees,
  diffProfiles,
  type CallTreeNode,
} from '@profhub/profile'
import { graphFromStacks } from '@profhub/profile/testing'
import { computePartition } from '../../layout/partition.ts'
import { diffScaleColors } from '../../diff-colors.ts'
import { computeDiffColoring } from './diff-coloring.tsx'

// `slow` got 2 s slower (its callers only carry it), `quick` 0.5 s faster, `same` did not change.
const before = graphFromStacks('main;a;slow 1\nmain;a;same 1\nmain;quick 1')
const after = graphFromStacks('main;a;slow 3\nmain;a;same 1\nmain;quick 0.5')

function colouredTree() {
  const diff = diffProfiles(before, after)
  const options = { minFraction: 0 }
  const trees = diffCallTrees(
    buildCallTree(buildCallGraph(before), options),
    buildCallTree(buildCallGraph(after), options),
    diff.matching,
  )
  const coloring = computeDiffColoring(after, diff, trees)
  const partition = computePartition(trees.tree.top, { depth: 10, minFraction: 0 })
  const fill = coloring.fillFor(partition)
  const byName = (name: string): CallTreeNode =>
    partition.cells.find((c) => c.node.func >= 0 && after.functions[c.node.func]!.name === name)!
      .node
  return { coloring, fill, byName, top: trees.tree.top }
}

// Outside a browser the charts draw in the light theme.
const {
  slower: SLOWER_COLOR,
  unchanged: UNCHANGED_COLOR,
  faster: FASTER_COLOR,
} = diffScaleColors('light')

describe('computeDiffColoring', () => {
  it('colours each call by the change of its own time: the slower function, not its callers', () => {
    const { fill, byName, top } = colouredTree()
    expect(fill(byName('slow'))).toBe(SLOWER_COLOR)
    // main and a got 1.5 s slower in total, but their own time did not change.
    expect(fill(byName('main'))).toBe(UNCHANGED_COLOR)
    expect(fill(byName('a'))).toBe(UNCHANGED_COLOR)
    expect(fill(top)).toBe(UNCHANGED_COLOR)
    expect(fill(byName('same'))).toBe(UNCHANGED_COLOR)
    // -0.5 s on a scale of ± 2 s: a quarter of the way to full blue, not grey and not full.
    expect([UNCHANGED_COLOR, FASTER_COLOR, SLOWER_COLOR]).not.toContain(fill(byName('quick')))
  })

  it('gives both changes, own and total, in the tooltip', () => {
    const { coloring, byName } = colouredTree()
    const rows = Object.fromEntries(coloring.describe(byName('a')).rows)
    expect(rows['own change']).toMatch(/^0/)
    expect(rows['total change']).toMatch(/^\+2(\.0+)? ?s/)
    const slow = Object.fromEntries(coloring.describe(byName('slow')).rows)
    expect(slow['own change']).toMatch(/^\+2(\.0+)? ?s/)
  })
})
