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

export const STEPS = 12
/** Ends of the scale; light enough for dark labels on top (contrast ≥ 4.5 with #14181f). */
export const UNCHANGED_RGB = [214, 218, 224] as const
export const SLOWER_RGB = [234, 96, 82] as const
export const FASTER_RGB = [86, 146, 226] as const

function mix(from: readonly number[], to: readonly number[], t: number): string {
  const c = from.map((f, i) => Math.round(f + (to[i]! - f) * t))
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`
}

/** PALETTE[STEPS + k] for k in -STEPS…STEPS: faster (negative) to slower (positive). */
const PALETTE: readonly string[] = Array.from({ length: 2 * STEPS + 1 }, (_, i) => {
  const k = i - STEPS
  return k === 0
    ? mix(UNCHANGED_RGB, UNCHANGED_RGB, 0)
    : mix(UNCHANGED_RGB, k < 0 ? FASTER_RGB : SLOWER_RGB, Math.abs(k) / STEPS)
})

export const UNCHANGED_COLOR = PALETTE[STEPS]!
export const SLOWER_COLOR = PALETTE[2 * STEPS]!
export const FASTER_COLOR = PALETTE[0]!

/** The colour of a change of `change` seconds on a scale of ± `scale` seconds. */
export function diffColor(change: number, scale: number): string {
  if (!(scale > 0) || !Number.isFinite(change)) return UNCHANGED_COLOR
  const t = Math.max(-1, Math.min(1, change / scale))
  return PALETTE[STEPS + Math.round(t * STEPS)]!
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
