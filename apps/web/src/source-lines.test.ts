import { describe, expect, it } from 'vitest'
import {
  computeSourceWindow,
  displaySourceLine,
  SMALL_SOURCE,
  SOURCE_CONTEXT,
  splitSourceLines,
} from './source-lines.ts'

describe('splitSourceLines', () => {
  it('numbers lines as Python does', () => {
    expect(splitSourceLines('a\nb\r\nc\rd\n')).toEqual(['a', 'b', 'c', 'd'])
    expect(splitSourceLines('a\n\n')).toEqual(['a', ''])
    expect(splitSourceLines('')).toEqual([''])
  })
})

describe('displaySourceLine', () => {
  it('expands tabs to 8-column stops and escapes what hides or moves text', () => {
    expect(displaySourceLine('\tx = 1')).toBe('        x = 1')
    expect(displaySourceLine('ab\tc')).toBe('ab      c')
    expect(displaySourceLine('s = "\u202e" # \x00')).toBe('s = "\\u202e" # \\x00')
    expect(displaySourceLine('<script>alert(1)</script>')).toBe('<script>alert(1)</script>')
  })
})

describe('computeSourceWindow', () => {
  it('shows a small file whole and a big one around the def', () => {
    expect(computeSourceWindow(SMALL_SOURCE, 3, false)).toEqual({ first: 1, last: SMALL_SOURCE })
    expect(computeSourceWindow(1000, 500, false)).toEqual({
      first: 500 - SOURCE_CONTEXT,
      last: 500 + SOURCE_CONTEXT,
    })
    expect(computeSourceWindow(1000, 5, false)).toEqual({ first: 1, last: 5 + SOURCE_CONTEXT })
    expect(computeSourceWindow(1000, 2000, false)).toEqual({
      first: 1000 - SOURCE_CONTEXT,
      last: 1000,
    })
    expect(computeSourceWindow(1000, 500, true)).toEqual({ first: 1, last: 1000 })
  })
})
