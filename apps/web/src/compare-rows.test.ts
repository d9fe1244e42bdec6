import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { diffProfiles, readProfileDocument, type ProfileDocument } from '@profhub/profile'
import { graphFromStacks } from '@profhub/profile/testing'
import {
  COMPARE_SORT_KEYS,
  computeCompareRows,
  computeCompareWidestText,
  formatPercent,
  computePercentChange,
  formatCompareCell,
  defaultCompareDirection,
  filterCompareRows,
  sortCompareRows,
  sortCompareRowsInSteps,
  startCompareWidestScan,
  scanCompareWidestText,
  finishCompareWidestScan,
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

describe('percent change', () => {
  it('gives the change in percent of before, none for a function in one run only', () => {
    const row = (name: string) => rows.find((r) => r.name === name)!
    // slow: 4 s → 1 s
    expect(computePercentChange(row('slow'), 'tottime')).toBe(-75)
    expect(formatCompareCell(row('slow'), 'tottime-percent')).toBe('-75.0 %')
    expect(formatCompareCell(row('same'), 'tottime-percent')).toBe('0 %')
    expect(formatCompareCell(row('same'), 'ncalls-percent')).toBe('0 %')
    for (const name of ['gone', 'fresh']) {
      expect(computePercentChange(row(name), 'ncalls')).toBeNull()
      expect(formatCompareCell(row(name), 'ncalls-percent')).toBeNull()
    }
    // main: 7 s → 5.5 s of cumtime
    expect(formatCompareCell(row('main'), 'cumtime-percent')).toBe('-21.4 %')
  })

  it('is 0 % from nothing to nothing and none from nothing to something', () => {
    const base = rows.find((r) => r.name === 'same')!
    const zero = { before: 0, after: 0, change: 0 }
    expect(computePercentChange({ ...base, tottime: zero }, 'tottime')).toBe(0)
    const grew = { before: 0, after: 2, change: 2 }
    expect(computePercentChange({ ...base, tottime: grew }, 'tottime')).toBeNull()
  })

  it('sorts by its size, either way, rows without one last', () => {
    // tottime: slow -75 %, mv/same/main 0 %; gone, fresh, pad have none
    expect(names(sortCompareRows(rows, 'tottime-percent')).slice(0, 1)).toEqual(['slow'])
    expect(names(sortCompareRows(rows, 'tottime-percent')).slice(-3).sort()).toEqual([
      'fresh',
      'gone',
      'pad',
    ])
  })

  it('reads -50 %, +1333 %, +4.5 %, 0 %', () => {
    expect([-50, 1333.24, 4.5, 0, -0.0001, 0.123, 99.95, -100].map(formatPercent)).toEqual([
      '-50.0 %',
      '+1333 %',
      '+4.5 %',
      '0 %',
      '-0.00010 %',
      '+0.12 %',
      '+100.0 %',
      '-100 %',
    ])
  })

  it('finds the widest text of each number column', () => {
    const widest = computeCompareWidestText(rows)
    expect(widest['tottime-percent']).toBe('-75.0 %')
    // Digits are equally wide: any text of the most characters will do.
    expect(widest['tottime-before']).toHaveLength('4.000'.length)
    expect(widest['tottime-change']).toHaveLength('-3.000'.length)
  })
})

/** The committed shim documents, compared pairwise (each with itself too). */
const FIXTURES = new URL('../../../fixtures/profiles/', import.meta.url)
const corpus: ProfileDocument[] = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.json') && !name.endsWith('.summary.json'))
  .map((name) => readProfileDocument(JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'))))
const corpusRows = corpus.flatMap((b) => corpus.map((a) => computeCompareRows(diffProfiles(b, a))))

/** Rows with numbers no profile should hold: negative, huge, fractional calls, rounding edges. */
const adversarial: CompareRow[] = [
  [0.0004999, -0.0005, 1e21, -1e-7],
  [9.9995, 99.9999, -99999.9996, 0.0005],
  [-0, 123456789012.345, 1.5, -3],
  [5e-324, 12, 999.9996, -999.9994],
].map((values, i) => {
  const [a, b, c, d] = values as [number, number, number, number]
  const change = (before: number, after: number) => ({ before, after, change: after - before })
  return {
    ...rows[i % rows.length]!,
    name: `f${'x'.repeat(i * 3)}`,
    ncalls: change(Math.round(Math.abs(a * 1e6)), Math.trunc(b)),
    primitiveCalls: change(Math.trunc(c % 1e6), d),
    tottime: change(a, b),
    cumtime: change(c, d),
  }
})

describe('computing in steps', () => {
  it('finds the widest texts slice by slice as in one scan', () => {
    for (const list of [...corpusRows, adversarial, [...adversarial, ...rows].reverse()]) {
      for (const size of [1, 2, 7]) {
        const scan = startCompareWidestScan()
        for (let from = 0; from < list.length; from += size)
          scanCompareWidestText(scan, list, from, Math.min(list.length, from + size))
        expect(finishCompareWidestScan(scan)).toEqual(computeCompareWidestText(list))
      }
    }
  })

  it('scans every cell as formatCompareCell writes it', () => {
    const widest = computeCompareWidestText(adversarial)
    for (const key of COMPARE_SORT_KEYS) {
      if (key === 'function') continue
      const texts = adversarial.map((row) => formatCompareCell(row, key) ?? '')
      expect(widest[key]).toBe(texts.reduce((w, t) => (t.length > w.length ? t : w), '0'))
    }
  })

  it('sorts in steps as in one go, for every key and direction', () => {
    for (const list of [rows, ...corpusRows.slice(0, 8)]) {
      for (const key of COMPARE_SORT_KEYS) {
        for (const direction of ['asc', 'desc'] as const) {
          let sorted: CompareRow[] = []
          for (const step of sortCompareRowsInSteps(list, key, direction, 3, (s) => (sorted = s)))
            step()
          expect(sorted).toEqual(sortCompareRows(list, key, direction))
        }
      }
    }
  })
})
