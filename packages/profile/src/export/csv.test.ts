import { readFileSync } from 'node:fs'
import { fixturePath, legacyDocumentPath } from '@profhub/fixtures'
import { describe, expect, it } from 'vitest'
import { writeProfileDocument, type StoredProfileDocument } from '../document.ts'
import type { FunctionStats, ProfileDocument } from '../pstats.ts'
import { graphFromStacks } from '../testing.ts'
import { CSV_HEADER, formatCsvText, formatStatsCsv } from './csv.ts'

function withFunctions(functions: FunctionStats[]): StoredProfileDocument {
  const doc: ProfileDocument = { ...graphFromStacks('main 1'), functions, edges: [] }
  return writeProfileDocument(doc)
}

const fn = (file: string, line: number, name: string, counts: number[], times: number[]) => ({
  file,
  line,
  name,
  ncalls: counts[0]!,
  primitiveCalls: counts[1]!,
  tottime: times[0]!,
  cumtime: times[1]!,
})

describe('formatStatsCsv', () => {
  it('writes one row per function, largest cumtime first, times at full precision', () => {
    const csv = formatStatsCsv(
      withFunctions([
        fn('a.py', 1, 'main', [1, 1], [0.1, 0.30000000000000004]),
        fn('a.py', 9, 'fib', [8, 1], [0.2, 0.2]),
        fn('~', 0, '<built-in method builtins.len>', [0, 0], [0, 0]),
      ]),
    )
    expect(csv.split('\r\n')).toEqual([
      CSV_HEADER,
      '"a.py",1,"main",1,1,0.1,0.1,0.30000000000000004,0.30000000000000004',
      '"a.py",9,"fib",8,1,0.2,0.025,0.2,0.2',
      // No calls: pstats prints blanks for the per-call columns; so do we.
      '"~",0,"<built-in method builtins.len>",0,0,0,,0,',
      '',
    ])
  })

  it('quotes every text cell and keeps spreadsheets from reading one as a formula', () => {
    expect(formatCsvText('a, "b"\nc')).toBe('"a, ""b""\nc"')
    expect(formatCsvText('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    for (const start of ['+', '-', '@', '\t', '\r', '\n', '\0']) {
      expect(formatCsvText(`${start}1`)).toBe(`"'${start}1"`)
    }
    // Already starting with a quote: one more, so that dropping one always gives the name back.
    expect(formatCsvText("'=1")).toBe(`"''=1"`)
    expect(formatCsvText("it's")).toBe(`"it's"`)
    expect(formatCsvText('')).toBe('""')
  })

  it('breaks cumtime ties by file, line and name', () => {
    const csv = formatStatsCsv(
      withFunctions([
        fn('b.py', 1, 'x', [1, 1], [0, 1]),
        fn('a.py', 2, 'x', [1, 1], [0, 1]),
        fn('a.py', 2, 'w', [1, 1], [0, 1]),
        fn('a.py', 1, 'z', [1, 1], [0, 1]),
      ]),
    )
    expect(csv.split('\r\n').map((row) => row.split(',').slice(0, 3).join(','))).toEqual([
      'file,line,function',
      '"a.py",1,"z"',
      '"a.py",2,"w"',
      '"a.py",2,"x"',
      '"b.py",1,"x"',
      '',
    ])
  })

  it('writes a run stored in formatVersion 1 as the same run in version 2', () => {
    const v1 = JSON.parse(readFileSync(legacyDocumentPath('recursion-py3.11.v1.json'), 'utf8'))
    const v2 = JSON.parse(readFileSync(fixturePath('recursion-py3.11.json'), 'utf8'))
    expect(formatStatsCsv(v1)).toBe(formatStatsCsv(v2))
  })
})
