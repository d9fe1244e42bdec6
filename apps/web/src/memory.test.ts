import { describe, expect, it } from 'vitest'
import type { FunctionStats } from '@profhub/profile'
import {
  computeLineChanges,
  groupMemoryByFunction,
  memoryByLine,
  OUTSIDE_FUNCTIONS,
  sortMemoryLines,
  type MemoryLine,
} from './memory.ts'

function fn(file: string, line: number, name: string): FunctionStats {
  return { file, line, name, ncalls: 1, primitiveCalls: 1, tottime: 0, cumtime: 0 }
}

const functions = [
  fn('~', 0, '<built-in method builtins.len>'),
  fn('app.py', 1, '<module>'),
  fn('app.py', 10, 'load'),
  fn('app.py', 30, 'parse'),
  fn('app.py', 30, '<lambda>'),
  fn('lib/util.py', 5, 'helper'),
]

const line = (file: string, n: number, size: number, count = 1): MemoryLine => ({
  file,
  line: n,
  size,
  count,
})

/** One line per group: `name@def size count lines`. */
function print(groups: ReturnType<typeof groupMemoryByFunction>): string[] {
  return groups.map(
    (g) => `${g.name}@${g.file}:${g.line} index=${g.index} ${g.size}B ${g.count}x ${g.lineCount}l`,
  )
}

describe('groupMemoryByFunction (by enclosing def)', () => {
  it('gives each line to the function with the largest def line at or before it', () => {
    const groups = groupMemoryByFunction(
      [
        line('app.py', 12, 1000, 10),
        line('app.py', 29, 500, 5),
        line('app.py', 10, 20, 1),
        line('app.py', 31, 4000, 2),
        line('app.py', 3, 7),
        line('lib/util.py', 9, 300, 3),
      ],
      functions,
    )
    expect(print(groups)).toEqual([
      // Of two functions on line 30 the first in the profile's order wins.
      'parse@app.py:30 index=3 4000B 2x 1l',
      'load@app.py:10 index=2 1520B 16x 3l',
      'helper@lib/util.py:5 index=5 300B 3x 1l',
      '<module>@app.py:1 index=1 7B 1x 1l',
    ])
  })

  it('keeps lines above every def, and files the profile lacks, apart', () => {
    const groups = groupMemoryByFunction(
      [line('lib/util.py', 2, 64), line('/usr/lib/python3.11/json/decoder.py', 353, 9000, 90)],
      functions,
    )
    expect(print(groups)).toEqual([
      `${OUTSIDE_FUNCTIONS}@/usr/lib/python3.11/json/decoder.py:0 index=null 9000B 90x 1l`,
      `${OUTSIDE_FUNCTIONS}@lib/util.py:0 index=null 64B 1x 1l`,
    ])
  })

  it('never uses a built-in (line 0) as a def', () => {
    expect(print(groupMemoryByFunction([line('~', 0, 5)], functions))).toEqual([
      `${OUTSIDE_FUNCTIONS}@~:0 index=null 5B 1x 1l`,
    ])
  })

  it('conserves the total size and count', () => {
    const lines = Array.from({ length: 200 }, (_, i) => line('app.py', i, i * 3, i % 7))
    const groups = groupMemoryByFunction(lines, functions)
    const sum = (xs: { size: number; count: number }[]) =>
      xs.reduce((s, x) => [s[0]! + x.size, s[1]! + x.count], [0, 0])
    expect(sum(groups)).toEqual(sum(lines))
  })
})

describe('sortMemoryLines / memoryByLine', () => {
  it('sorts largest first and indexes one file by line', () => {
    const lines = [line('b.py', 2, 10), line('a.py', 9, 10), line('a.py', 1, 99)]
    expect(sortMemoryLines(lines).map((l) => `${l.file}:${l.line}`)).toEqual([
      'a.py:1',
      'a.py:9',
      'b.py:2',
    ])
    expect([...memoryByLine(lines, 'a.py')]).toEqual([
      [9, { size: 10, count: 1 }],
      [1, { size: 99, count: 1 }],
    ])
  })
})

describe('computeLineChanges', () => {
  it('pairs lines by file and line, biggest change of either sign first', () => {
    const before = [line('a.py', 1, 100), line('a.py', 2, 5000), line('a.py', 3, 7)]
    const after = [line('a.py', 1, 900), line('a.py', 3, 7), line('b.py', 4, 300)]
    expect(computeLineChanges(before, after)).toEqual([
      { file: 'a.py', line: 2, before: 5000, after: 0, change: -5000 },
      { file: 'a.py', line: 1, before: 100, after: 900, change: 800 },
      { file: 'b.py', line: 4, before: 0, after: 300, change: 300 },
    ])
    expect(computeLineChanges(before, after, 1)).toHaveLength(1)
  })
})
