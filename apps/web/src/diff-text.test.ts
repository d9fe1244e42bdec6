import { describe, expect, it } from 'vitest'
import {
  formatChange,
  formatPercentChange,
  formatSignedCount,
  formatSignedDuration,
  formatSignedSeconds,
} from './diff-text.ts'

describe('formatting changes', () => {
  it('signs durations and percentages', () => {
    expect(formatSignedDuration(-1.5473)).toBe('-1.55 s')
    expect(formatSignedDuration(0.0123)).toBe('+12.3 ms')
    expect(formatSignedDuration(0)).toBe('0 s')
    expect(formatPercentChange(-1.5473, 1.8147)).toBe('-85.3 %')
    expect(formatPercentChange(0.05, 1)).toBe('+5.0 %')
    expect(formatPercentChange(1, 0)).toBeNull()
    expect(formatChange(-1.5473, 1.8147)).toBe('-1.55 s (-85.3 %)')
    expect(formatChange(2, 0)).toBe('+2.00 s (new)')
  })

  it('writes table cells as pstats does, with a sign, and no sign on nothing', () => {
    expect(formatSignedSeconds(-0.17282)).toBe('-0.173')
    expect(formatSignedSeconds(0.4)).toBe('+0.400')
    expect(formatSignedSeconds(-0.0001)).toBe('0.000')
    expect(formatSignedSeconds(0)).toBe('0.000')
    expect(formatSignedCount(-33000)).toBe('-33000')
    expect(formatSignedCount(3)).toBe('+3')
    expect(formatSignedCount(0)).toBe('0')
  })
})
