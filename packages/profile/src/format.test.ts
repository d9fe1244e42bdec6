import { describe, expect, it } from 'vitest'
import {
  cumtimePerCall,
  formatDuration,
  formatFunctionLabel,
  formatNcalls,
  formatSeconds,
  splitFunctionLabel,
  tottimePerCall,
} from './format.ts'

describe('pstats columns', () => {
  it('prints ncalls as total/primitive only when recursion makes them differ', () => {
    expect(formatNcalls({ ncalls: 12, primitiveCalls: 12 })).toBe('12')
    expect(formatNcalls({ ncalls: 21891, primitiveCalls: 1 })).toBe('21891/1')
  })

  it('divides tottime by total calls and cumtime by primitive calls, as pstats does', () => {
    const fib = { ncalls: 21891, primitiveCalls: 1, tottime: 2.1891, cumtime: 3 }
    expect(tottimePerCall(fib)).toBeCloseTo(0.0001)
    expect(cumtimePerCall(fib)).toBe(3)
    expect(formatSeconds(tottimePerCall(fib))).toBe('0.000')
    expect(tottimePerCall({ ncalls: 0, tottime: 0 })).toBeNull()
    expect(formatSeconds(cumtimePerCall({ primitiveCalls: 0, cumtime: 1 }))).toBe('')
  })

  it('labels functions like pstats, built-ins in braces', () => {
    expect(formatFunctionLabel({ file: '/opt/app/fib.py', line: 7, name: 'fib' })).toBe(
      '/opt/app/fib.py:7(fib)',
    )
    expect(
      formatFunctionLabel({ file: '~', line: 0, name: '<built-in method builtins.len>' }),
    ).toBe('{built-in method builtins.len}')
    expect(formatFunctionLabel({ file: '~', line: 0, name: 'odd' })).toBe('odd')
  })

  it('prints durations for people', () => {
    expect([2.5, 0.0456, 0.000789, 0].map(formatDuration)).toEqual([
      '2.50 s',
      '45.6 ms',
      '789 µs',
      '0 s',
    ])
  })
})

describe('splitFunctionLabel', () => {
  const parts = (file: string, line: number, name: string) => {
    const fn = { file, line, name }
    const split = splitFunctionLabel(fn)
    // The parts always join back into pstats' label, whatever the input.
    expect(split.path + split.base + split.rest).toBe(formatFunctionLabel(fn))
    return split
  }

  it('splits a path into directory, base name and line with name', () => {
    expect(parts('/opt/app/fib.py', 7, 'fib')).toEqual({
      path: '/opt/app/',
      base: 'fib.py',
      rest: ':7(fib)',
    })
    expect(parts('fib.py', 7, 'fib')).toEqual({ path: '', base: 'fib.py', rest: ':7(fib)' })
    expect(parts('/', 1, 'f')).toEqual({ path: '/', base: '', rest: ':1(f)' })
  })

  it('splits Windows paths on backslashes, and mixed separators on the last one', () => {
    expect(parts('C:\\x\\y.py', 3, 'main')).toEqual({
      path: 'C:\\x\\',
      base: 'y.py',
      rest: ':3(main)',
    })
    expect(parts('C:\\x/z\\y.py', 3, 'g')).toEqual({
      path: 'C:\\x/z\\',
      base: 'y.py',
      rest: ':3(g)',
    })
  })

  it("splits off a built-in's kind, to give way before its name", () => {
    expect(parts('~', 0, '<built-in method builtins.len>')).toEqual({
      path: '{built-in method ',
      base: '',
      rest: 'builtins.len}',
    })
    expect(parts('~', 0, "<method 'append' of 'list' objects>")).toEqual({
      path: '{method ',
      base: '',
      rest: "'append' of 'list' objects}",
    })
    expect(parts('~', 0, '<built-in method __new__ of type object at 0x7fd8b2f615a0>').rest).toBe(
      '__new__ of type object at 0x7fd8b2f615a0}',
    )
    expect(parts('~', 0, 'odd')).toEqual({ path: '', base: '', rest: 'odd' })
    expect(parts('~', 0, '<method >')).toEqual({ path: '', base: '', rest: '{method }' })
  })

  it('never looks for the name inside the label: names with `:`, `(`, `/` or `<lambda>`', () => {
    expect(parts('/a/b.py', 12, '<lambda>')).toEqual({
      path: '/a/',
      base: 'b.py',
      rest: ':12(<lambda>)',
    })
    expect(parts('/a/b.py', 4, 'f:9(g)')).toEqual({ path: '/a/', base: 'b.py', rest: ':4(f:9(g))' })
    expect(parts('/a/b.py', 4, 'x/y\\z')).toEqual({ path: '/a/', base: 'b.py', rest: ':4(x/y\\z)' })
    expect(parts('<string>', 1, '<module>')).toEqual({
      path: '',
      base: '<string>',
      rest: ':1(<module>)',
    })
  })

  it("handles an empty path and the `profile` module's built-ins (empty file, line 0)", () => {
    expect(parts('', 0, 'len')).toEqual({ path: '', base: '', rest: ':0(len)' })
    expect(parts('', 5, 'f')).toEqual({ path: '', base: '', rest: ':5(f)' })
  })

  it('keeps a 5,000-character hostile name in the last part, untouched', () => {
    const name = '<script>\u202e/'.repeat(500)
    const split = parts('/tmp/evil\u202e/x.py', 1, name)
    expect(split.path).toBe('/tmp/evil\u202e/')
    expect(split.base).toBe('x.py')
    expect(split.rest).toBe(`:1(${name})`)
    expect(split.rest).toHaveLength(5000 + 4)
  })
})
