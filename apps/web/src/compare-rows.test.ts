import { describe, expect, it } from 'vitest'
import { diffProfiles, type ProfileDocument } from '@profhub/profile'
import { graphFromStacks } from '@profhub/profile/testing'
import {
  COMPARE_SORT_KEYS,
  computeCompareRows,
  defaultCompareDirection,
  filterCompareRows,
  sortCompareRows,
  type CompareRow,
} from './compare-rows.ts'

// before: main → slow 4 s, same 1 s, gone 1 s. after: main → slow 1 s, same 1 s, fresh 2 s,
// and `moved` one line further down (a function inserted above it).
const before: ProfileDocument = graphFromStacks('main;slow 4\nmain;same 1\nmain;gone 1\nmain;mv 1')
const after: ProfileDocument = (() => {
  const doc = graphFromStacks('main;slow 1\nmain;same 1\nmain;fresh 2\nmain;pad 0.5\nmain;mv 1')
  return { ...doc, functions: doc.functions.map((f) => (f.name === 'mv' ? { ...f, line: 9 } : f)) }
})()
const rows = computeCompareRows(diffProfiles(before, after))
const names = (list: readonly CompareRow[]) => list.map((r) => r.name)

describe('computeCompareRows', () => {
  it('labels each row where the function is now, keyed like the run table', () => {
    const moved = rows.find((r) => r.name === 'mv')!
    expect(moved).toMatchObject({
      status: 'moved',
      lineBefore: 5,
      lineAfter: 9,
      line: 9,
      key: 't.py:9:mv',
      label: 't.py:9(mv)',
    })
    expect(rows.find((r) => r.name === 'gone')).toMatchObject({
      status: 'removed',
      line: 4,
      key: 't.py:4:gone',
    })
  })
})

describe('sortCompareRows', () => {
  it('sorts a change column by the size of the change, either way, largest first', () => {
    // slow -3, fresh +2, pad +0.5, gone -1, main 0 (5 s → 5.5 s is +0.5 cumtime, 0 tottime)
    expect(names(sortCompareRows(rows, 'tottime-change'))).toEqual([
      'slow',
      'fresh',
      'gone',
      'pad',
      'main',
      'same',
      'mv',
    ])
    expect(names(sortCompareRows(rows, 'tottime-change', 'asc')).slice(-2)).toEqual([
      'fresh',
      'slow',
    ])
  })

  it('puts a run a function is missing from below every value', () => {
    expect(names(sortCompareRows(rows, 'tottime-before')).slice(-2)).toEqual(['fresh', 'pad'])
    expect(names(sortCompareRows(rows, 'tottime-after')).at(-1)).toBe('gone')
    expect(names(sortCompareRows(rows, 'ncalls-after', 'asc'))[0]).toBe('gone')
  })

  it('sorts the label column by file, line, name', () => {
    expect(names(sortCompareRows(rows, 'function'))).toEqual([
      'main',
      'slow',
      'same',
      'fresh',
      'gone',
      'pad',
      'mv',
    ])
  })

  it('sorts numbers largest first and the label A→Z on the first click', () => {
    for (const key of COMPARE_SORT_KEYS) {
      expect(defaultCompareDirection(key)).toBe(key === 'function' ? 'asc' : 'desc')
    }
  })
})

describe('filterCompareRows', () => {
  it('keeps rows whose name or file contains the text, ignoring case', () => {
    expect(names(filterCompareRows(rows, ' SL '))).toEqual(['slow'])
    expect(filterCompareRows(rows, '')).toBe(rows)
    expect(filterCompareRows(rows, 't.py')).toHaveLength(rows.length)
  })
})
