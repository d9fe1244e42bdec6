import { describe, expect, it } from 'vitest'
import {
  formatBytes,
  formatBytesChange,
  formatCount,
  formatExactBytes,
  formatPstatsHeader,
  formatRelativeTime,
} from './format.ts'

describe('formatPstatsHeader', () => {
  it('reads like pstats', () => {
    expect(
      formatPstatsHeader({
        totalCalls: 12345,
        primitiveCalls: 10000,
        totalTime: 1.2344,
        functionCount: 3,
      }),
    ).toBe('12,345 function calls (10,000 primitive calls) in 1.234 seconds')
  })

  it('leaves out primitive calls when there was no recursion', () => {
    expect(
      formatPstatsHeader({ totalCalls: 4, primitiveCalls: 4, totalTime: 0, functionCount: 2 }),
    ).toBe('4 function calls in 0.000 seconds')
  })
})

describe('formatCount / formatBytes', () => {
  it('groups digits and scales bytes', () => {
    expect(formatCount(1234567)).toBe('1,234,567')
    expect(formatBytes(812)).toBe('812 B')
    expect(formatBytes(24_809)).toBe('24.2 KB')
    expect(formatBytes(1_468_006)).toBe('1.4 MB')
    expect(formatBytes(200 * 1024 * 1024)).toBe('200 MB')
  })
})

describe('formatBytesChange / formatExactBytes', () => {
  it('signs a change and keeps the exact count readable', () => {
    expect(formatBytesChange(5 * 1024 * 1024)).toBe('+5.0 MB')
    expect(formatBytesChange(-812)).toBe('-812 B')
    expect(formatBytesChange(0)).toBe('0 B')
    expect(formatExactBytes(28_640_123)).toBe('28,640,123 bytes')
    expect(formatExactBytes(1)).toBe('1 byte')
  })
})

describe('formatRelativeTime', () => {
  const now = Date.parse('2025-11-25T12:00:00Z')
  it.each([
    ['2025-11-25T11:59:50Z', 'just now'],
    ['2025-11-25T11:55:00Z', '5 minutes ago'],
    ['2025-11-25T09:00:00Z', '3 hours ago'],
    ['2025-11-24T12:00:00Z', 'yesterday'],
    ['2025-10-25T12:00:00Z', 'last month'],
    ['2023-11-25T12:00:00Z', '2 years ago'],
    ['not a date', ''],
  ])('%s → %s', (iso, expected) => {
    expect(formatRelativeTime(iso, now)).toBe(expected)
  })
})
