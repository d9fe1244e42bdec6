import { describe, expect, it } from 'vitest'
import { diffProfiles, type ProfileDocument } from '@profhub/profile'
import { graphFromStacks } from '@profhub/profile/testing'
import { computeCompareRows, computeCompareWidestText, sortCompareRows } from './compare-rows.ts'
import { computeProfileIndex } from './profile-index.ts'
import {
  selectCompareRows,
  selectCompareTableSteps,
  selectCompareWidestText,
  selectProfileIndex,
  selectProfileIndexSteps,
  selectSortedCompareRows,
} from './selectors.ts'

const before: ProfileDocument = graphFromStacks('main;a 4\nmain;b 1\nmain;gone 1\nmain;b;c 2')
const after: ProfileDocument = graphFromStacks('main;a 1\nmain;b 3\nmain;new 2\nmain;b;c 1')

describe('selectCompareTableSteps', () => {
  it('leaves the rows, their widest texts and order in the selectors', () => {
    const diff = diffProfiles(before, after)
    const sort = { key: 'tottime-change', direction: 'desc' } as const
    const steps = selectCompareTableSteps(diff, sort, 2)
    expect(steps.length).toBeGreaterThan(3)
    for (const step of steps) step()
    const rows = selectCompareRows(diff)
    expect(rows).toEqual(computeCompareRows(diff))
    expect(selectCompareWidestText(rows)).toEqual(computeCompareWidestText(rows))
    const sorted = selectSortedCompareRows(rows, sort.key, sort.direction)
    expect(sorted).toEqual(sortCompareRows(rows, sort.key, sort.direction))
    // Made by the steps, not again: the same arrays come back.
    expect(selectSortedCompareRows(rows, sort.key, sort.direction)).toBe(sorted)
    expect(selectCompareTableSteps(diff, sort, 2)).toEqual([])
    expect(selectCompareTableSteps(diff, { key: 'function', direction: 'asc' }, 2)).toHaveLength(2)
  })
})

describe('selectProfileIndexSteps', () => {
  it('leaves the index in selectProfileIndex', () => {
    const doc = graphFromStacks('main;a;b 1\nmain;c 2')
    const steps = selectProfileIndexSteps(doc, 1)
    for (const step of steps) step()
    expect(selectProfileIndex(doc)).toEqual(computeProfileIndex(doc))
    expect(selectProfileIndexSteps(doc, 1)).toEqual([])
  })
})
