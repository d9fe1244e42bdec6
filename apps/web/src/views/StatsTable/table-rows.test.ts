import { describe, expect, it } from 'vitest'
import type { FunctionStats } from '@profhub/profile'
import {
  computeTableRows,
  defaultTableDirection,
  filterTableRows,
  sortTableRows,
  TABLE_SORT_KEYS,
  type TableRow,
} from './table-rows.ts'

const fn = (
  file: string,
  line: number,
  name: string,
  ncalls: number,
  primitiveCalls: number,
  tottime: number,
  cumtime: number,
): FunctionStats => ({ file, line, name, ncalls, primitiveCalls, tottime, cumtime })

// main calls fib (recursive: 21891 calls, 1 primitive) and len; `never` has 0 calls.
const rows = computeTableRows([
  fn('/opt/app/a.py', 1, 'main', 1, 1, 0.001, 0.5),
  fn('/opt/app/a.py', 7, 'fib', 21891, 1, 0.4, 0.45),
  fn('/opt/app/b.py', 3, 'Helper', 10, 10, 0.04, 0.04),
  fn('~', 0, '<built-in method builtins.len>', 100, 100, 0.01, 0.01),
  fn('/opt/app/b.py', 9, 'never', 0, 0, 0, 0),
])

const names = (list: readonly TableRow[]) => list.map((r) => r.name)

describe('computeTableRows', () => {
  it('adds the index, a stable key, the pstats label and per-call times', () => {
    expect(rows[1]).toEqual({
      file: '/opt/app/a.py',
      line: 7,
      name: 'fib',
      ncalls: 21891,
      primitiveCalls: 1,
      tottime: 0.4,
      cumtime: 0.45,
      index: 1,
      key: '/opt/app/a.py:7:fib',
      label: '/opt/app/a.py:7(fib)',
      tottimePerCall: 0.4 / 21891,
      cumtimePerCall: 0.45, // cumtime / primitive calls, as pstats
    })
    expect(rows[3]!.label).toBe('{built-in method builtins.len}')
    expect(rows[4]!.tottimePerCall).toBeNull()
  })
})

describe('sortTableRows', () => {
  it.each([
    ['ncalls', 'desc', ['fib', '<built-in method builtins.len>', 'Helper', 'main', 'never']],
    ['tottime', 'desc', ['fib', 'Helper', '<built-in method builtins.len>', 'main', 'never']],
    ['cumtime', 'desc', ['main', 'fib', 'Helper', '<built-in method builtins.len>', 'never']],
    ['cumtime', 'asc', ['never', '<built-in method builtins.len>', 'Helper', 'fib', 'main']],
    // 0.004 (Helper) > 0.001 (main) > 0.0001 (len) > 0.4/21891 (fib); never has none: last
    [
      'tottime-percall',
      'desc',
      ['Helper', 'main', '<built-in method builtins.len>', 'fib', 'never'],
    ],
    [
      'tottime-percall',
      'asc',
      ['never', 'fib', '<built-in method builtins.len>', 'main', 'Helper'],
    ],
    [
      'cumtime-percall',
      'desc',
      ['main', 'fib', 'Helper', '<built-in method builtins.len>', 'never'],
    ],
    // file, then line, then name; `~` sorts after `/`
    ['function', 'asc', ['main', 'fib', 'Helper', 'never', '<built-in method builtins.len>']],
    ['function', 'desc', ['<built-in method builtins.len>', 'never', 'Helper', 'fib', 'main']],
  ] as const)('%s %s', (key, direction, expected) => {
    expect(names(sortTableRows(rows, key, direction))).toEqual(expected)
  })

  it('breaks ties by file, line and name, whatever the direction', () => {
    const tied = computeTableRows([
      fn('b.py', 1, 'x', 1, 1, 0.5, 1),
      fn('a.py', 2, 'y', 1, 1, 0.5, 1),
      fn('a.py', 1, 'z', 1, 1, 0.5, 1),
    ])
    expect(names(sortTableRows(tied, 'tottime-percall', 'desc'))).toEqual(['z', 'y', 'x'])
    expect(names(sortTableRows(tied, 'tottime-percall', 'asc'))).toEqual(['z', 'y', 'x'])
    expect(names(sortTableRows(tied, 'cumtime', 'asc'))).toEqual(['z', 'y', 'x'])
  })

  it('sorts numbers largest first and the label column A→Z by default', () => {
    expect(TABLE_SORT_KEYS.map((key) => [key, defaultTableDirection(key)])).toEqual([
      ['ncalls', 'desc'],
      ['tottime', 'desc'],
      ['tottime-percall', 'desc'],
      ['cumtime', 'desc'],
      ['cumtime-percall', 'desc'],
      ['function', 'asc'],
    ])
  })

  it('does not touch its input', () => {
    const before = names(rows)
    sortTableRows(rows, 'tottime-percall')
    expect(names(rows)).toEqual(before)
  })
})

describe('filterTableRows', () => {
  it('keeps rows whose name or file contains the text, ignoring case, in order', () => {
    expect(names(filterTableRows(rows, 'HELP'))).toEqual(['Helper'])
    expect(names(filterTableRows(rows, 'b.py'))).toEqual(['Helper', 'never'])
    expect(names(filterTableRows(rows, ' builtins '))).toEqual(['<built-in method builtins.len>'])
  })

  it('returns the same array for an empty search (no 100k-row copy per keystroke)', () => {
    expect(filterTableRows(rows, '')).toBe(rows)
    expect(filterTableRows(rows, '   ')).toBe(rows)
  })
})
