import { describe, expect, it } from 'vitest'
import {
  BUILTIN_COLOR,
  BUILTINS,
  computeFunctionColors,
  computeFunctionPackages,
  computeLegend,
  computeSearchMatches,
  packageColor,
  packageOf,
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
  it('are stable per package, grey for built-ins', () => {
    expect(packageColor('requests')).toBe(packageColor('requests'))
    expect(packageColor('requests')).not.toBe(packageColor('requestz'))
    expect(packageColor(BUILTINS)).toBe(BUILTIN_COLOR)
    expect(packageColor('json')).toMatch(/^hsl\(\d+ \d+% \d+%\)$/)
  })

  it('are given per function: the package’s hue, shaded by file', () => {
    const functions = [
      fn('/opt/a/x.py', 'f'),
      fn('/opt/a/x.py', 'g'),
      fn('/opt/a/y.py', 'h'),
      fn('~', 'len'),
    ]
    const colors = computeFunctionColors(functions, computeFunctionPackages(functions))
    expect(colors[0]).toBe(colors[1])
    const hue = (c: string) => c.split(' ')[0]
    expect(hue(colors[2]!)).toBe(hue(colors[0]!))
    expect(colors[3]).toBe(BUILTIN_COLOR)
  })
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
