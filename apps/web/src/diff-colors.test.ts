import { describe, expect, it } from 'vitest'
import { worstLabelContrast } from './chart-colors.ts'
import {
  computeDiffScale,
  DIFF_PALETTES,
  diffColor,
  diffScaleColors,
  STEPS,
} from './diff-colors.ts'

describe('diffColor', () => {
  it('is grey for no change, red for slower, blue for faster, symmetric around zero', () => {
    const { unchanged, slower, faster } = diffScaleColors('light')
    expect(diffColor(0, 2, 'light')).toBe(unchanged)
    expect(diffColor(2, 2, 'light')).toBe(slower)
    expect(diffColor(-2, 2, 'light')).toBe(faster)
    expect(diffColor(5, 2, 'light')).toBe(slower)
    expect(unchanged).toBe('rgb(214, 218, 224)')
    for (const theme of ['light', 'dark'] as const) {
      // Half way: as far from grey one way as the other.
      const red = diffColor(1, 2, theme).match(/\d+/g)!.map(Number)
      const blue = diffColor(-1, 2, theme).match(/\d+/g)!.map(Number)
      expect(red[0]).toBeGreaterThan(red[2]!)
      expect(blue[2]).toBeGreaterThan(blue[0]!)
    }
  })

  it('leaves noise grey and copes with no scale at all', () => {
    const { unchanged } = diffScaleColors('dark')
    expect(diffColor(0.01, 2, 'dark')).toBe(unchanged)
    expect(diffColor(1, 0, 'dark')).toBe(unchanged)
    expect(diffColor(Number.NaN, 1, 'dark')).toBe(unchanged)
  })

  it('follows the theme in use by default (light outside a browser)', () => {
    expect(diffColor(2, 2)).toBe(diffScaleColors('light').slower)
    expect(diffScaleColors('dark').slower).not.toBe(diffScaleColors('light').slower)
  })

  it.each(['light', 'dark'] as const)(
    'keeps labels readable (WCAG 4.5:1) on every step of the scale: %s',
    (theme) => {
      expect(DIFF_PALETTES[theme]).toHaveLength(2 * STEPS + 1)
      for (const color of DIFF_PALETTES[theme]) {
        // Plain, hatched (estimated) and faded by Search, as chart labels are drawn.
        expect(worstLabelContrast(theme, color), color).toBeGreaterThanOrEqual(4.5)
      }
    },
  )
})

describe('computeDiffScale', () => {
  it('is the largest change in size', () => {
    expect(computeDiffScale([0.5, -3, 2])).toBe(3)
    expect(computeDiffScale([])).toBe(0)
  })
})
