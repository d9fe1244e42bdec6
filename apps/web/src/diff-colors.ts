/**
 * The compare charts' colours: a diverging scale symmetric around zero, blue for time saved,
 * red for time added, grey for no change (the after run's nodes, coloured by their change).
 *
 * The scale's ends are ± the largest change among the nodes drawn below the focused call (the
 * focused call itself is left out: its change is the sum of its callees', and would pale all of
 * them). So the colours answer "where, in what I am looking at, did the time move?"; zooming in
 * rescales them, and the legend says what full colour means in seconds and in percent of the
 * focused call's time before.
 *
 * Linear and in steps of 1/STEPS: timing noise (a few percent of the largest change) stays close
 * to grey, and the colour strings are made once.
 */

import type { Rgb } from './color-space.ts'
import { activeTheme, type Theme } from './theme.ts'

export const STEPS = 12

/**
 * Ends of the scale, per theme: light enough for the light theme's dark labels, dark enough for
 * the dark theme's light ones (diff-colors.test.ts checks 4.5:1 along the whole scale).
 */
export const DIFF_ENDS: Record<Theme, { unchanged: Rgb; slower: Rgb; faster: Rgb }> = {
  light: { unchanged: [214, 218, 224], slower: [245, 142, 133], faster: [119, 173, 242] },
  dark: { unchanged: [60, 67, 77], slower: [176, 52, 45], faster: [38, 98, 186] },
}

function mix(from: Rgb, to: Rgb, t: number): string {
  const c = from.map((f, i) => Math.round(f + (to[i]! - f) * t))
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`
}

/** PALETTE[STEPS + k] for k in -STEPS…STEPS: faster (negative) to slower (positive). */
function buildPalette(theme: Theme): readonly string[] {
  const { unchanged, slower, faster } = DIFF_ENDS[theme]
  return Array.from({ length: 2 * STEPS + 1 }, (_, i) => {
    const k = i - STEPS
    return mix(unchanged, k < 0 ? faster : slower, Math.abs(k) / STEPS)
  })
}

export const DIFF_PALETTES: Record<Theme, readonly string[]> = {
  light: buildPalette('light'),
  dark: buildPalette('dark'),
}

/** The scale's three colours (the legend's gradient and swatch). */
export function diffScaleColors(theme: Theme = activeTheme()): {
  faster: string
  unchanged: string
  slower: string
} {
  const palette = DIFF_PALETTES[theme]
  return { faster: palette[0]!, unchanged: palette[STEPS]!, slower: palette[2 * STEPS]! }
}

/**
 * The colour of a change of `change` seconds on a scale of ± `scale` seconds. The theme
 * defaults to the one in use when the chart draws (charts redraw when it changes).
 */
export function diffColor(change: number, scale: number, theme: Theme = activeTheme()): string {
  const palette = DIFF_PALETTES[theme]
  if (!(scale > 0) || !Number.isFinite(change)) return palette[STEPS]!
  const t = Math.max(-1, Math.min(1, change / scale))
  return palette[STEPS + Math.round(t * STEPS)]!
}

/** The scale's end: the largest change in size (0 when nothing changed). */
export function computeDiffScale(changes: Iterable<number>): number {
  let max = 0
  for (const change of changes) {
    const size = Math.abs(change)
    if (size > max && Number.isFinite(size)) max = size
  }
  return max
}
