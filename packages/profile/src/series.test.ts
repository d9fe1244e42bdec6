import { describe, expect, it } from 'vitest'
import {
  flagSeries,
  latestChange,
  pickSeriesRow,
  seriesFunctionsOf,
  seriesKeyOf,
  seriesProjectRoot,
  type SeriesFunctionInput,
} from './series.ts'

const fn = (file: string, name: string, line = 1, tottime = 0.1): SeriesFunctionInput => ({
  file,
  line,
  name,
  ncalls: 1,
  primitiveCalls: 1,
  tottime,
  cumtime: tottime,
})

describe('seriesProjectRoot', () => {
  it('is the deepest folder that holds 90 % of the project files', () => {
    const files = [
      '/home/ann/proj/app/x.py',
      '/home/ann/proj/app/y.py',
      '/home/ann/proj/tests/test_x.py',
      '/usr/lib/python3.11/json/decoder.py',
      '/home/ann/proj/venv/lib/python3.11/site-packages/requests/api.py',
      '~',
      '<frozen importlib._bootstrap>',
    ]
    expect(seriesProjectRoot(files)).toBe('/home/ann/proj/')
    expect(seriesProjectRoot(['/home/ann/proj/bench.py'])).toBe('/home/ann/proj/')
  })

  it('is empty when the files share nothing but the file system root, or none is absolute', () => {
    expect(seriesProjectRoot(['/a/x.py', '/b/y.py'])).toBe('')
    expect(seriesProjectRoot(['x.py', '~'])).toBe('')
    expect(seriesProjectRoot([])).toBe('')
  })

  it('reads Windows paths', () => {
    expect(seriesProjectRoot(['C:\\work\\proj\\a.py', 'C:\\work\\proj\\b\\c.py'])).toBe(
      'C:/work/proj/',
    )
  })
})

describe('seriesKeyOf', () => {
  it('gives the same key to the same function in two checkouts', () => {
    const laptop = seriesKeyOf('/home/ann/proj/app/x.py', 'parse', '/home/ann/proj/')
    const ci = seriesKeyOf('/builds/ci/proj/app/x.py', 'parse', '/builds/ci/proj/')
    expect(laptop).toBe(ci)
    expect(JSON.parse(laptop)).toEqual(['project', 'app/x.py', 'parse'])
  })

  it('lines up site-packages and the standard library of any Python version', () => {
    expect(seriesKeyOf('/a/venv/lib/python3.11/site-packages/requests/api.py', 'get', '/a/')).toBe(
      seriesKeyOf('/opt/venv/lib/python3.12/site-packages/requests/api.py', 'get', ''),
    )
    expect(seriesKeyOf('/usr/lib/python3.11/json/decoder.py', 'decode', '')).toBe(
      seriesKeyOf(
        '/root/.pyenv/versions/3.12.1/lib/python3.12/json/decoder.py',
        'decode',
        '/root/',
      ),
    )
  })

  it('leaves memory addresses out of names and keeps other paths as they are', () => {
    expect(seriesKeyOf('~', '<built-in method __new__ of type object at 0x7f00aa>', '')).toBe(
      seriesKeyOf('~', '<built-in method __new__ of type object at 0x55ffbb>', ''),
    )
    expect(JSON.parse(seriesKeyOf('/other/x.py', 'f', '/home/ann/proj/'))).toEqual([
      'path',
      '/other/x.py',
      'f',
    ])
  })

  it('keeps hostile text as data', () => {
    const key = seriesKeyOf('/p/"\u0000\n.py', 'a"],["b', '/p/')
    expect(JSON.parse(key)).toEqual(['project', '"\u0000\n.py', 'a"],["b'])
  })

  it('writes keys as runs stored before wrote them: JSON.stringify of the array', () => {
    for (const [file, name] of [
      ['/p/app/naïve "x".py', 'f\ud800 \\ \u2028'],
      ['/usr/lib/python3.11/json/decoder.py', '<lambda>'],
      ['<frozen importlib._bootstrap>', 'g'],
    ]) {
      const [root, rest, bare] = JSON.parse(seriesKeyOf(file!, name!, '/p/')) as string[]
      expect(seriesKeyOf(file!, name!, '/p/')).toBe(JSON.stringify([root, rest, bare]))
    }
  })
})

describe('seriesFunctionsOf', () => {
  it('makes one row per key and line, adding up names that differed by an address', () => {
    const rows = seriesFunctionsOf([
      fn('/p/app/x.py', 'parse', 3, 0.5),
      fn('~', '<built-in method __new__ of type object at 0x1>', 0, 0.25),
      fn('~', '<built-in method __new__ of type object at 0x2>', 0, 0.125),
      fn('/p/app/x.py', '__init__', 10),
      fn('/p/app/x.py', '__init__', 20),
    ])
    expect(rows.root).toBe('/p/app/')
    expect(rows.keys).toHaveLength(4)
    const builtin = rows.keys.indexOf(
      seriesKeyOf('~', '<built-in method __new__ of type object>', ''),
    )
    expect(rows.tottime[builtin]).toBe(0.375)
    expect(rows.ncalls[builtin]).toBe(2)
    expect(rows.line.filter((_, i) => rows.keys[i]!.includes('__init__'))).toEqual([10, 20])
  })
})

describe('pickSeriesRow', () => {
  it('takes the row at the line, else the only row, else none', () => {
    expect(pickSeriesRow([{ line: 4 }, { line: 9 }], 9)).toEqual({ line: 9 })
    expect(pickSeriesRow([{ line: 12 }], 9)).toEqual({ line: 12 })
    expect(pickSeriesRow([{ line: 4 }, { line: 5 }], 9)).toBeNull()
    expect(pickSeriesRow([], 9)).toBeNull()
  })
})

describe('flagSeries', () => {
  const steady = [1.0, 1.02, 0.98, 1.01, 0.99, 1.0, 1.03, 0.97]
  const totals = (values: readonly (number | null)[], rest = 4) =>
    values.map((v) => (v ?? 0) + rest)

  it('flags a step up once the band has five runs, then stops once the band has moved', () => {
    const values = [...steady, 3, 3.05, 2.95, 3.02, 3, 2.98, 3.01, 3, 2.99, 3]
    const flags = flagSeries(values, totals(values))
    expect(flags.slice(0, 5).every((p) => p.flag === null && p.baseline === null)).toBe(true)
    expect(flags.slice(5, 8).map((p) => p.flag)).toEqual([null, null, null])
    expect(flags[8]).toEqual({ flag: 'slower', baseline: expect.closeTo(1.0, 2) })
    expect(flags.at(-1)!.flag).toBeNull()
    expect(latestChange(flags, values, 20)).toBe(8)
  })

  it('flags a drop as faster', () => {
    const values = [...steady, 0.3]
    expect(flagSeries(values, totals(values)).at(-1)!.flag).toBe('faster')
  })

  it('does not flag a run that was slower as a whole (every share the same)', () => {
    const values = [...steady, 2]
    // The whole run took twice as long: the function's share did not move.
    const runTotals = [...steady.map((v) => v * 5), 10]
    expect(flagSeries(values, runTotals).at(-1)!.flag).toBeNull()
    // Cumulative times near the root are most of the total: there only the time is looked at.
    expect(flagSeries(values, runTotals, { share: false }).at(-1)!.flag).toBe('slower')
  })

  it('ignores changes under 10 % of the median or 0.5 % of the run total', () => {
    const values = [1, 1, 1, 1, 1, 1, 1.08]
    expect(flagSeries(values, totals(values)).at(-1)!.flag).toBeNull()
    const tiny = [1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 3e-5]
    expect(
      flagSeries(
        tiny,
        tiny.map(() => 10),
      ).at(-1)!.flag,
    ).toBeNull()
  })

  it('skips runs without the function: never flagged, never in a band', () => {
    const values = [1, null, 1, 1, null, 1, 1, 3]
    const flags = flagSeries(values, totals(values))
    expect(flags[1]).toEqual({ flag: null, baseline: null })
    expect(flags.at(-1)!.flag).toBe('slower')
  })

  it('latestChange finds nothing outside the scanned runs', () => {
    const values = [...steady, 3, 3, 3, 3, 3, 3, 3, 3]
    const flags = flagSeries(values, totals(values))
    expect(latestChange(flags, values, 20)).toBe(8)
    expect(latestChange(flags, values, 3)).toBeNull()
  })

  it('latestChange is not moved by one noisy run inside the step', () => {
    const values = [...steady, 3, 3, 3, 3, 3]
    const runTotals = totals(values)
    // Run 10 was slower as a whole: its share did not rise, so it is not flagged itself.
    runTotals[9] = 15
    const flags = flagSeries(values, runTotals)
    expect(flags.slice(8).map((p) => p.flag)).toEqual([
      'slower',
      null,
      'slower',
      'slower',
      'slower',
    ])
    expect(latestChange(flags, values, 20)).toBe(8)
    // A run back at the old level does end the streak.
    const back = [...steady, 3, 1, 3, 3, 3]
    expect(latestChange(flagSeries(back, totals(back)), back, 20)).toBe(10)
  })
})
