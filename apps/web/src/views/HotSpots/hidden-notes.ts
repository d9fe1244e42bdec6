import {
  computeHiddenTime,
  depthShowing,
  hiddenTimeAt,
  type CallTreeNode,
  type HiddenTime,
} from '@profhub/profile'
import { CUTOFF_RANGE, DEPTH_RANGE } from '../../url-state.ts'

/** Past this share of the focused call's time left undrawn, the controls say so. */
export const NOTE_SHARE = 0.1

/**
 * What a note's button does: draw more levels, lower the cutoff (to `computeLowerCutoff`'s
 * answer, worked out on the click: it walks the tree again), or focus further down.
 */
export type ShowAction =
  { kind: 'depth'; depth: number } | { kind: 'cutoff' } | { kind: 'focus'; node: CallTreeNode }

export interface HiddenNote {
  text: string
  label: string
  action: ShowAction
}

export interface HiddenNotes {
  depth: HiddenNote | null
  cutoff: HiddenNote | null
}

const walks = new WeakMap<CallTreeNode, Map<number, HiddenTime>>()

/**
 * `computeHiddenTime` of a focused node for a cutoff (percent), kept per node for the last few
 * cutoffs: a depth change, a tab switch or a redraw reuses it.
 */
export function selectHiddenTime(focus: CallTreeNode, cutoff: number): HiddenTime {
  let byCutoff = walks.get(focus)
  if (!byCutoff) walks.set(focus, (byCutoff = new Map()))
  let hidden = byCutoff.get(cutoff)
  if (!hidden) {
    hidden = computeHiddenTime(focus, { minFraction: cutoff / 100, maxLevel: DEPTH_RANGE.max + 1 })
    if (byCutoff.size >= 4) byCutoff.delete(byCutoff.keys().next().value!)
    byCutoff.set(cutoff, hidden)
  }
  return hidden
}

function formatPercent(share: number): string {
  const pct = share * 100
  return `${pct >= 99.5 ? Math.floor(pct) : Math.round(pct)} %`
}

/**
 * The notes beside Depth and Cutoff when they leave more than NOTE_SHARE of the focused call's
 * time undrawn. `depth` is the number of levels really drawn (the cell budget can draw fewer
 * than asked: `truncated`), so that a deeper setting is offered only when it would help.
 */
export function computeHiddenNotes(
  hidden: HiddenTime,
  { depth, cutoff, truncated }: { depth: number; cutoff: number; truncated: boolean },
): HiddenNotes {
  const total = hidden.root.value
  if (!(total > 0)) return { depth: null, cutoff: null }
  const { byDepth, byCutoff } = hiddenTimeAt(hidden, depth)
  const limit = NOTE_SHARE * total
  let depthNote: HiddenNote | null = null
  if (byDepth > limit) {
    const text = truncated
      ? `The ${depth} levels that fit hide ${formatPercent(byDepth / total)} of the time`
      : `Depth ${depth} hides ${formatPercent(byDepth / total)} of the time`
    const enough = depthShowing(hidden, depth, NOTE_SHARE / 10)
    const helps =
      !truncated &&
      enough > depth &&
      enough <= DEPTH_RANGE.max &&
      hiddenTimeAt(hidden, enough).byDepth <= limit
    const deepest = hidden.heaviest[depth]
    if (helps) {
      depthNote = { text, label: `Draw ${enough} levels`, action: { kind: 'depth', depth: enough } }
    } else if (deepest && deepest !== hidden.root) {
      depthNote = { text, label: 'Focus deeper', action: { kind: 'focus', node: deepest } }
    }
  }
  let cutoffNote: HiddenNote | null = null
  if (byCutoff > limit && cutoff > CUTOFF_RANGE.min) {
    cutoffNote = {
      text: `Cutoff ${cutoff} % hides ${formatPercent(byCutoff / total)} of the time`,
      label: 'Lower the cutoff',
      action: { kind: 'cutoff' },
    }
  }
  return { depth: depthNote, cutoff: cutoffNote }
}

/**
 * The highest of a few lower cutoffs (percent) under which the calls left out hold at most
 * NOTE_SHARE of the time at this depth; 0 when none does.
 */
export function computeLowerCutoff(root: CallTreeNode, depth: number, cutoff: number): number {
  for (const factor of [2, 5, 10, 100]) {
    const lower = Number((cutoff / factor).toFixed(6))
    if (lower <= CUTOFF_RANGE.min) break
    const walk = computeHiddenTime(root, { minFraction: lower / 100, maxLevel: depth + 1 })
    if (hiddenTimeAt(walk, depth).byCutoff <= NOTE_SHARE * root.value) return lower
  }
  return CUTOFF_RANGE.min
}
