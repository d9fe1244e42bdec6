import { describe, expect, it } from 'vitest'
import {
  BUILTINS,
  CHART_PALETTES,
  CHROMA_STEPS,
  computeFunctionColors,
  computeFunctionPackages,
  computeLegend,
  computeSearchMatches,
  FILE_SHADES,
  LIGHTNESS_STEPS,
  packageColor,
  packageOf,
  packageTone,
  worstLabelContrast,
} from './chart-colors.ts'

const fn = (file: string, name: string, tottime = 0) => ({
  file,
  line: 1,
  name,
  ncalls: 1,
  primitiveCalls: 1,
  tottime,
  cumtime: tottime,
})

describe('packageOf', () => {
  it.each([
    ['~', BUILTINS],
    ['/venv/lib/python3.11/site-packages/requests/api.py', 'requests'],
    ['/usr/lib/python3/dist-packages/yaml/__init__.py', 'yaml'],
    ['/venv/lib/python3.11/site-packages/six.py', 'six'],
    ['/usr/lib/python3.11/json/decoder.py', 'json'],
    ['/usr/local/lib/python3.11/re/_parser.py', 're'],
    ['/usr/lib/python2.7/threading.py', 'threading'],
    ['C:\\Python311\\Lib\\json\\decoder.py', 'json'],
    ['C:\\Users\\evil\\app.py', 'C:\\Users\\evil'],
    ['C:\\app\\venv\\Lib\\site-packages\\numpy\\core\\x.py', 'numpy'],
    ['<frozen importlib._bootstrap>', 'importlib'],
    ['<frozen runpy>', 'runpy'],
    ['<string>', '<string>'],
    ['/opt/app/recursion.py', '/opt/app'],
    ['/main.py', '/'],
    ['script.py', 'script.py'],
  ])('%s → %s', (file, pkg) => {
    expect(packageOf(file)).toBe(pkg)
  })
})

describe('colours', () => {
  it('are stable per package, grey for built-ins, different per theme', () => {
    expect(packageColor('requests')).toBe(packageColor('requests'))
    expect(packageColor('requests')).not.toBe(packageColor('requestz'))
    expect(packageColor(BUILTINS)).toBe(CHART_PALETTES.light.builtin)
    expect(packageColor(BUILTINS, undefined, 'dark')).toBe(CHART_PALETTES.dark.builtin)
    expect(packageColor('json')).toMatch(/^#[0-9a-f]{6}$/)
    expect(packageColor('json', undefined, 'dark')).not.toBe(packageColor('json'))
  })

  it('are given per function: the package’s colour, shaded by file', () => {
    const functions = [
      fn('/opt/a/x.py', 'f'),
      fn('/opt/a/x.py', 'g'),
      fn('/opt/a/y.py', 'h'),
      fn('~', 'len'),
    ]
    for (const theme of ['light', 'dark'] as const) {
      const colors = computeFunctionColors(functions, computeFunctionPackages(functions), theme)
      expect(colors[0]).toBe(colors[1])
      // Every file of a package gets one of its FILE_SHADES shades.
      const shades = new Set(
        Array.from({ length: 40 }, (_, i) => packageColor('/opt/a', `/opt/a/m${i}.py`, theme)),
      )
      expect(shades.size).toBe(FILE_SHADES)
      expect(shades).toContain(colors[0])
      expect(shades).toContain(colors[2])
      expect(colors[3]).toBe(CHART_PALETTES[theme].builtin)
    }
  })
})

describe('label contrast (WCAG 4.5:1), in both themes', () => {
  it.each(['light', 'dark'] as const)(
    'every package colour, built-ins and the top cell: %s',
    (theme) => {
      let worst = { ratio: Infinity, color: '' }
      for (let hue = 0; hue < 360; hue++) {
        for (let c = 0; c < CHROMA_STEPS; c++) {
          for (let l = 0; l < LIGHTNESS_STEPS; l++) {
            for (let shade = 0; shade < FILE_SHADES; shade++) {
              const color = packageTone(theme, hue, c, l, shade)
              const ratio = worstLabelContrast(theme, color)
              if (ratio < worst.ratio) worst = { ratio, color }
            }
          }
        }
      }
      for (const color of [CHART_PALETTES[theme].builtin, CHART_PALETTES[theme].top]) {
        const ratio = worstLabelContrast(theme, color)
        if (ratio < worst.ratio) worst = { ratio, color }
      }
      expect(worst.ratio, `lowest: ${worst.color}`).toBeGreaterThanOrEqual(4.5)
    },
  )
})

describe('computeLegend', () => {
  it('lists the packages with the most own time', () => {
    const functions = [
      fn('/opt/a/x.py', 'f', 1),
      fn('/opt/a/y.py', 'g', 2),
      fn('~', 'len', 2.5),
      fn('/b/z.py', 'h', 0.5),
    ]
    const legend = computeLegend(functions, computeFunctionPackages(functions), 2)
    expect(legend.map((e) => [e.pkg, e.time])).toEqual([
      ['/opt/a', 3],
      [BUILTINS, 2.5],
    ])
  })
})

describe('computeSearchMatches', () => {
  const functions = [fn('/opt/app/Parser.py', 'parse'), fn('~', '<built-in method builtins.len>')]
  it('matches names or files, ignoring case, like the table', () => {
    expect(computeSearchMatches(functions, '')).toBeNull()
    expect(computeSearchMatches(functions, '  ')).toBeNull()
    expect([...computeSearchMatches(functions, 'PARSER')!]).toEqual([1, 0])
    expect([...computeSearchMatches(functions, 'Len')!]).toEqual([0, 1])
    expect([...computeSearchMatches(functions, 'nothing')!]).toEqual([0, 0])
  })
})
