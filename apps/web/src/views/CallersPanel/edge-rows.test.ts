import { describe, expect, it } from 'vitest'
import { diffProfiles } from '@profhub/profile'
import { graphFromStacks, withoutEdgeTimes } from '@profhub/profile/testing'
import { computeCompareRows } from '../../compare-rows.ts'
import { computeProfileIndex } from '../../profile-index.ts'
import {
  compareEdgeRows,
  findCompareSubject,
  runEdgeRows,
  type EdgeRow,
  type NumberCell,
} from './edge-rows.ts'

const cell = (c: NumberCell) =>
  c.kind === 'run' ? c.value : `${c.before ?? '–'}→${c.after ?? '–'} ${c.change}`

/** `name [only in …] ncalls … | tottime … | cumtime … | bar 50%` */
function lines(rows: readonly EdgeRow[]): string[] {
  return rows.map((row) =>
    [
      row.fn.name + (row.only ? ` [only ${row.only}]` : ''),
      `ncalls ${cell(row.cells.ncalls)}`,
      `tottime ${cell(row.cells.tottime)}`,
      `cumtime ${cell(row.cells.cumtime)}`,
      `bar ${Math.round(row.share * 100)}%`,
    ].join(' | '),
  )
}

function compared(beforeText: string, afterText: string, name: string) {
  const before = graphFromStacks(beforeText)
  const after = graphFromStacks(afterText)
  const diff = diffProfiles(before, after)
  const rows = computeCompareRows(diff)
  const key = rows.find((r) => r.name === name)!.key
  return compareEdgeRows(findCompareSubject(before, after, diff, rows, key)!)
}

describe('runEdgeRows', () => {
  it('lists a function’s callers heaviest first, as pstats prints them', () => {
    const doc = graphFromStacks('main;a;c 3\nmain;b;c 1\nmain;c 0.5')
    const c = doc.functions.findIndex((f) => f.name === 'c')
    expect(lines(runEdgeRows(doc, computeProfileIndex(doc), c, 'callers'))).toEqual([
      'a | ncalls 1 | tottime 3.000 | cumtime 3.000 | bar 67%',
      'b | ncalls 1 | tottime 1.000 | cumtime 1.000 | bar 22%',
      'main | ncalls 1 | tottime 0.500 | cumtime 0.500 | bar 11%',
    ])
  })

  it('shows a dash and no bar for a run without times per edge', () => {
    const doc = withoutEdgeTimes(graphFromStacks('main;a 2'))
    const a = doc.functions.findIndex((f) => f.name === 'a')
    expect(lines(runEdgeRows(doc, computeProfileIndex(doc), a, 'callers'))).toEqual([
      'main | ncalls 1 | tottime — | cumtime — | bar 0%',
    ])
  })
})

describe('compareEdgeRows', () => {
  it('shows both runs’ numbers and the change, and which edges are in one run only', () => {
    const rows = compared('main;a;c 2\nmain;b;c 1', 'main;a;c 0.5\nmain;d;c 3', 'c')
    expect(lines(rows.callers)).toEqual([
      'd [only after] | ncalls –→1 +1 | tottime –→3.000 +3.000 | cumtime –→3.000 +3.000 | bar 86%',
      'a | ncalls 1→1 0 | tottime 2.000→0.500 -1.500 | cumtime 2.000→0.500 -1.500 | bar 14%',
      'b [only before] | ncalls 1→– -1 | tottime 1.000→– -1.000 | cumtime 1.000→– -1.000 | bar 33%',
    ])
  })

  it('shows a function that is in the first run only with its edges there', () => {
    const rows = compared('main;a;c 2', 'main;a 1', 'c')
    expect(lines(rows.callers)).toEqual([
      'a [only before] | ncalls 1→– -1 | tottime 2.000→– -2.000 | cumtime 2.000→– -2.000 | bar 100%',
    ])
  })
})
