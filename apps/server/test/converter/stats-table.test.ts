import { readFileSync } from 'node:fs'
import { fixturePath, legacyDocumentPath } from '@profhub/fixtures'
import {
  filterStatRows,
  type ProfileDocument,
  readProfileDocument,
  writeProfileDocument,
  STAT_SORT_KEYS,
  sortStatRows,
  type StatRow,
} from '@profhub/profile'
import { describe, expect, it } from 'vitest'
import { buildStatsColumns, statsColumnsOf, StatsTable } from '../../src/converter/stats-table.ts'

function rowsOf(fixture: string): StatRow[] {
  return documentOf(fixture).functions.map(
    ({ file, line, name, ncalls, primitiveCalls, tottime, cumtime }) => ({
      file,
      line,
      name,
      ncalls,
      primitiveCalls,
      tottime,
      cumtime,
    }),
  )
}

function documentOf(fixture: string): ProfileDocument {
  return readProfileDocument(JSON.parse(readFileSync(fixturePath(fixture), 'utf8')))
}

describe('StatsTable', () => {
  it.each(['recursion-py3.11.json', 'hostile_names.json', 'recursion-py2.7.json'])(
    'answers exactly as filter + sort + slice of %s would',
    (fixture) => {
      const rows = rowsOf(fixture)
      const table = new StatsTable(statsColumnsOf(writeProfileDocument(documentOf(fixture))))
      for (const sort of STAT_SORT_KEYS) {
        for (const filter of ['', 'PY', ' rec ', '<', 'no such text']) {
          for (const limit of [1, 7, 100_000]) {
            expect(table.query(sort, filter, limit)).toEqual(
              sortStatRows(filterStatRows(rows, filter), sort).slice(0, limit),
            )
          }
        }
      }
    },
  )
})

describe('StatsTable.queryJson', () => {
  it.each(['hostile_names.json', 'recursion-py3.11.json'])(
    "writes query's answer as JSON.stringify does, in pieces of %s",
    (fixture) => {
      const table = new StatsTable(statsColumnsOf(writeProfileDocument(documentOf(fixture))))
      for (const sort of STAT_SORT_KEYS) {
        for (const filter of ['', 'PY', '<', 'no such text']) {
          for (const [limit, rowsPerPiece] of [
            [1, 1],
            [50, 7],
            [100_000, 500],
          ] as const) {
            const pieces = [...table.queryJson(sort, filter, limit, rowsPerPiece)]
            const rows = table.query(sort, filter, limit)
            expect(pieces.join('')).toBe(JSON.stringify({ rows }))
            expect(pieces.length).toBe(Math.floor(rows.length / rowsPerPiece) + 1)
          }
        }
      }
    },
  )
})

describe('statsColumnsOf', () => {
  it('reads a document stored in formatVersion 1 like its version 2', () => {
    const v1 = JSON.parse(readFileSync(legacyDocumentPath('recursion-py3.11.v1.json'), 'utf8'))
    const v2 = JSON.parse(readFileSync(fixturePath('recursion-py3.11.json'), 'utf8'))
    expect(statsColumnsOf(v1)).toEqual(statsColumnsOf(v2))
    expect(statsColumnsOf(v2)).toEqual(buildStatsColumns(rowsOf('recursion-py3.11.json')))
  })
})

describe('StatsTable filters', () => {
  it('answers the same once more filters were asked for than it keeps the matches of', () => {
    const rows = rowsOf('hostile_names.json')
    const table = new StatsTable(
      statsColumnsOf(writeProfileDocument(documentOf('hostile_names.json'))),
    )
    const filters = Array.from(
      { length: 40 },
      (_, i) => String.fromCharCode(97 + (i % 26)) + (i >= 26 ? 'e' : ''),
    )
    for (const round of [0, 1]) {
      for (const filter of round === 0 ? filters : filters.toReversed()) {
        expect(table.query('tottime', filter.toUpperCase(), 50)).toEqual(
          sortStatRows(filterStatRows(rows, filter), 'tottime').slice(0, 50),
        )
      }
    }
  })
})
