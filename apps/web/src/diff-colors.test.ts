import { describe, expect, it } from 'vitest'
import {
  computeDiffScale,
  diffColor,
  FASTER_COLOR,
  SLOWER_COLOR,
  UNCHANGED_COLOR,
} from './diff-colors.ts'

describe('diffColor', () => {
  it('is grey for no change, red for slower, blue for faster, symmetric around zero', () => {
    expect(diffColor(0, 2)).toBe(UNCHANGED_COLOR)
    expect(diffColor(2, 2)).toBe(SLOWER_COLOR)
    expect(diffColor(-2, 2)).toBe(FASTER_COLOR)
    expect(diffColor(5, 2)).toBe(SLOWER_COLOR)
    expect(UNCHANGED_COLOR).toBe('rgb(214, 218, 224)')
    // Half way: as far from grey one way as the other.
    const red = diffColor(1, 2).match(/\d+/g)!.map(Number)
    const blue = diffColor(-1, 2).match(/\d+/g)!.map(Number)
    expect(red[0]).toBeGreaterThan(red[2]!)
    expect(blue[2]).toBeGreaterThan(blue[0]!)
  })

  it('leaves noise grey and copes with no scale at all', () => {
    expect(diffColor(0.01, 2)).toBe(UNCHANGED_COLOR)
    expect(diffColor(1, 0)).toBe(UNCHANGED_COLOR)
    expect(diffColor(Number.NaN, 1)).toBe(UNCHANGED_COLOR)
  })
})

describe('computeDiffScale', () => {
  it('is the largest change in size', () => {
    expect(computeDiffScale([0.5, -3, 2])).toBe(3)
    expect(computeDiffScale([])).toBe(0)
  })
})
