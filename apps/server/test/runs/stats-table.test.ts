import { readFileSync } from 'node:fs'
import { fixturePath } from '@profhub/fixtures'
import {
  filterStatRows,
  type ProfileDocument,
  STAT_SORT_KEYS,
  sortStatRows,
  type StatRow,
} from '@profhub/profile'
import { describe, expect, it } from 'vitest'
import { buildStatsColumns, StatsTable } from '../../src/runs/stats-table.ts'

function rowsOf(fixture: string): StatRow[] {
  const document = JSON.parse(readFileSync(fixturePath(fixture), 'utf8')) as ProfileDocument
  return document.functions.map(
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

describe('StatsTable', () => {
  it.each(['recursion-py3.11.json', 'hostile_names.json', 'recursion-py2.7.json'])(
    'answers exactly as filter + sort + slice of %s would',
    (fixture) => {
      const rows = rowsOf(fixture)
      const table = new StatsTable(buildStatsColumns(rows))
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
