import { describe, expect, it } from 'vitest'
import type { FunctionStats } from '@profhub/profile'
import {
  computeTableWidestText,
  computeSearchText,
  computeTableColumns,
  computeTableRows,
  defaultTableDirection,
  filterTableIndices,
  filterTableRows,
  sortByValue,
  sortTableIndices,
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

/** A small seeded PRNG (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Functions with many ties: few files, lines and names, times from a handful of values. */
function randomFunctions(seed: number, count: number): FunctionStats[] {
  const next = random(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!
  // Code-unit order differs from code-point and locale order: `Z` < `a`, `\u{1f600}` < `\uffff`.
  const files = ['a.py', 'B.py', '~', '/opt/x.py', 'é.py', '\u{1f600}.py', '\uffff.py', '']
  const names = ['f', 'F', 'g', '<lambda>', 'é', '\u{1f600}', '\uffff', '']
  const times = [0, 0, 0, 0.001, 0.001, 0.25, 1e-9, 3]
  const seen = new Set<string>()
  const functions: FunctionStats[] = []
  while (functions.length < count) {
    const file = pick(files)
    const line = Math.floor(next() * 6)
    const name = pick(names)
    const key = `${file}\0${line}\0${name}`
    if (seen.has(key)) continue // pstats keys are unique
    seen.add(key)
    const ncalls = pick([0, 1, 1, 2, 10, 100])
    const primitiveCalls = ncalls === 0 ? 0 : pick([0, 1, ncalls])
    functions.push({
      file,
      line,
      name,
      ncalls,
      primitiveCalls,
      tottime: pick(times),
      cumtime: pick(times),
    })
  }
  return functions
}

describe('sortTableIndices', () => {
  const cases = TABLE_SORT_KEYS.flatMap((key) =>
    (['asc', 'desc'] as const).map((direction) => [key, direction] as const),
  )

  it.each(cases)('%s %s is sortTableRows order on random data with ties', (key, direction) => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const functions = randomFunctions(seed, 300)
      const expected = sortTableRows(computeTableRows(functions), key, direction).map(
        (r) => r.index,
      )
      const actual = sortTableIndices(computeTableColumns(functions), key, direction)
      expect(Array.from(actual)).toEqual(expected)
    }
  })

  it('matches the hand-checked orders above', () => {
    const columns = computeTableColumns(rows)
    for (const [key, direction] of cases) {
      expect(Array.from(sortTableIndices(columns, key, direction))).toEqual(
        sortTableRows(rows, key, direction).map((r) => r.index),
      )
    }
  })

  it('keeps duplicate keys in input order, like a stable sort', () => {
    const twins = [fn('a.py', 1, 'x', 1, 1, 0, 0), fn('a.py', 1, 'x', 2, 2, 0, 0)]
    const columns = computeTableColumns(twins)
    expect(Array.from(sortTableIndices(columns, 'tottime', 'desc'))).toEqual([0, 1])
    expect(Array.from(sortTableIndices(columns, 'function', 'desc'))).toEqual([0, 1])
  })

  it('handles an empty profile', () => {
    expect(Array.from(sortTableIndices(computeTableColumns([]), 'cumtime'))).toEqual([])
  })
})

describe('filterTableIndices', () => {
  it('keeps the sorted order and matches filterTableRows', () => {
    const functions = randomFunctions(7, 300)
    const all = computeTableRows(functions)
    const search = computeSearchText(functions)
    const order = sortTableIndices(computeTableColumns(functions), 'tottime', 'desc')
    const sorted = sortTableRows(all, 'tottime', 'desc')
    for (const text of ['A.PY', ' f ', 'é', '\u{1f600}', 'lambda', 'nothing like it']) {
      expect(Array.from(filterTableIndices(order, search, text))).toEqual(
        filterTableRows(sorted, text).map((r) => r.index),
      )
    }
  })

  it('returns the same array for an empty search', () => {
    const order = sortTableIndices(computeTableColumns(rows), 'cumtime')
    expect(filterTableIndices(order, computeSearchText(rows), '  ')).toBe(order)
  })
})

describe('sortByValue', () => {
  it('is a stable numeric sort, -0 equal to 0, either direction', () => {
    const next = random(11)
    const pool = [0, -0, 1, -1, 0.5, -0.5, 1e-300, -1e-300, 1e300, Infinity, -Infinity, 2 ** 40]
    const values = Float64Array.from(
      { length: 2000 },
      () => pool[Math.floor(next() * pool.length)]!,
    )
    const order = Int32Array.from({ length: values.length }, (_, i) => values.length - 1 - i)
    for (const descending of [false, true]) {
      const sign = descending ? -1 : 1
      const expected = Array.from(order).sort(
        (a, b) => (values[a] === values[b] ? 0 : sign * (values[a]! - values[b]!)) || b - a,
      )
      expect(Array.from(sortByValue(order.slice(), values, descending))).toEqual(expected)
    }
  })
})

describe('computeTableWidestText', () => {
  it('finds the widest text of each number column and the widest function name', () => {
    const widest = computeTableWidestText([
      {
        file: 'a.py',
        line: 1,
        name: 'f',
        ncalls: 212296,
        primitiveCalls: 212268,
        tottime: 12.5,
        cumtime: 100.25,
      },
      {
        file: 'a.py',
        line: 20,
        name: 'g',
        ncalls: 9999999,
        primitiveCalls: 9999999,
        tottime: 1,
        cumtime: 2,
      },
      {
        file: '~',
        line: 0,
        name: "<method 'get' of 'dict' objects>",
        ncalls: 0,
        primitiveCalls: 0,
        tottime: 0,
        cumtime: 0,
      },
    ])
    expect(widest).toEqual({
      ncalls: '212296/212268',
      tottime: '12.500',
      'tottime-percall': '0.000',
      cumtime: '100.250',
      'cumtime-percall': '0.000',
      function: "'get' of 'dict' objects}",
    })
  })
})
