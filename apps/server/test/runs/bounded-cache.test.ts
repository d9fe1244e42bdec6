import type { StatRow } from '@profhub/profile'
import { describe, expect, it } from 'vitest'
import { BoundedCache } from '../../src/runs/bounded-cache.ts'
import { buildStatsColumns, StatsTable } from '../../src/converter/stats-table.ts'

function tableOfSize(functions: number): StatsTable {
  const row: StatRow = {
    file: 'a.py',
    line: 1,
    name: 'f',
    ncalls: 1,
    primitiveCalls: 1,
    tottime: 0,
    cumtime: 0,
  }
  return new StatsTable(
    buildStatsColumns(Array.from({ length: functions }, (_, line) => ({ ...row, line }))),
  )
}

const tableBytes = (table: StatsTable) => table.bytes

describe('BoundedCache', () => {
  it('evicts the least recently used beyond its entry count', () => {
    const cache = new BoundedCache(tableBytes, 1e9, 2)
    cache.set('a', tableOfSize(1))
    cache.set('b', tableOfSize(1))
    cache.get('a')
    cache.set('c', tableOfSize(1))

    expect(cache.get('a')).toBeDefined()
    expect(cache.get('b')).toBeUndefined()
    expect(cache.get('c')).toBeDefined()
  })

  it('evicts by estimated bytes, and never keeps a table bigger than the whole budget', () => {
    const six = tableOfSize(6)
    const cache = new BoundedCache(tableBytes, six.bytes * 2 - 1)
    cache.set('a', six)
    cache.set('b', tableOfSize(6))
    expect(cache.bytes).toBe(six.bytes)
    cache.set('huge', tableOfSize(12))

    expect(cache.get('a')).toBeUndefined()
    expect(cache.get('b')).toBeDefined()
    expect(cache.get('huge')).toBeUndefined()
    expect(cache.bytes).toBe(six.bytes)
  })

  it('estimates a table from its rows and the length of its strings', () => {
    const short = tableOfSize(10)
    expect(short.bytes).toBeGreaterThan(10 * 100)
    expect(tableOfSize(20).bytes).toBe(short.bytes * 2)
  })

  it('forgets a deleted run', () => {
    const cache = new BoundedCache(tableBytes, 1e9)
    cache.set('a', tableOfSize(1))
    cache.delete('a')

    expect(cache.get('a')).toBeUndefined()
    expect(cache.bytes).toBe(0)
  })

  it('drops every key with a prefix (all the kept answers of one run)', () => {
    const cache = new BoundedCache((text: string) => text.length, 1e9)
    cache.set('run1\ncumtime', 'aaaa')
    cache.set('run1\nname', 'bb')
    cache.set('run10\nname', 'c')
    cache.deleteWhere('run1\n')

    expect(cache.get('run1\ncumtime')).toBeUndefined()
    expect(cache.get('run1\nname')).toBeUndefined()
    expect(cache.get('run10\nname')).toBe('c')
    expect(cache.bytes).toBe(1)
  })
})
