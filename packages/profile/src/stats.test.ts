import { describe, expect, it } from 'vitest'
import { filterStatRows, sortStatRows, type StatRow } from './stats.ts'

function row(label: string, ncalls: number, tottime: number, cumtime: number): StatRow {
  const [file = '', line = '0', name = ''] = label.split(':')
  return { file, line: Number(line), name, ncalls, primitiveCalls: ncalls, tottime, cumtime }
}

const rows = [
  row('b.py:3:parse', 10, 0.5, 2),
  row('a.py:9:Load', 3, 0.5, 4),
  row('a.py:1:main', 1, 0.1, 4),
  row('~:0:<built-in method builtins.len>', 500, 0.2, 0.2),
]

const labels = (list: StatRow[]) => list.map((r) => `${r.file}:${r.line}:${r.name}`)

describe('sortStatRows', () => {
  it('sorts numbers descending by default and breaks ties by file, line, name', () => {
    expect(labels(sortStatRows(rows, 'cumtime'))).toEqual([
      'a.py:1:main',
      'a.py:9:Load',
      'b.py:3:parse',
      '~:0:<built-in method builtins.len>',
    ])
    expect(labels(sortStatRows(rows, 'tottime'))).toEqual([
      'a.py:9:Load',
      'b.py:3:parse',
      '~:0:<built-in method builtins.len>',
      'a.py:1:main',
    ])
  })

  it('sorts text ascending by default, and either way on request', () => {
    expect(labels(sortStatRows(rows, 'name'))).toEqual([
      '~:0:<built-in method builtins.len>',
      'a.py:9:Load',
      'a.py:1:main',
      'b.py:3:parse',
    ])
    expect(labels(sortStatRows(rows, 'file', 'desc'))[0]).toBe('~:0:<built-in method builtins.len>')
    expect(labels(sortStatRows(rows, 'ncalls', 'asc'))[0]).toBe('a.py:1:main')
  })

  it('leaves its input alone', () => {
    const before = labels(rows)
    sortStatRows(rows, 'ncalls')
    expect(labels(rows)).toEqual(before)
  })
})

describe('filterStatRows', () => {
  it('keeps rows whose name or file contains the text, ignoring case', () => {
    expect(labels(filterStatRows(rows, 'LOAD'))).toEqual(['a.py:9:Load'])
    expect(labels(filterStatRows(rows, 'a.py'))).toEqual(['a.py:9:Load', 'a.py:1:main'])
    expect(filterStatRows(rows, '  ')).toHaveLength(4)
    expect(filterStatRows(rows, 'nothing like it')).toEqual([])
  })
})
