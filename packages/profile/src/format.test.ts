import { describe, expect, it } from 'vitest'
import {
  cumtimePerCall,
  formatDuration,
  formatFunctionLabel,
  formatNcalls,
  formatSeconds,
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
