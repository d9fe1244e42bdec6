import { findCellAt, type Cell, type Partition, type Viewport } from './partition.ts'

/**
 * Sunburst geometry: a partition's cells as rings around the focused node. Angles start at 12
 * o'clock and run clockwise; the viewport's span fills the full turn and its level is the centre
 * disc. The centre is twice as wide as a ring (it carries the focused node's label), rings beyond the
 * chart's `levels` fall outside `radius` and are not drawn.
 */

export interface SunburstFrame {
  cx: number
  cy: number
  radius: number
  /** Rings drawn including the centre: the Depth setting + 1. */
  levels: number
}

export interface Arc {
  /** Angles in radians, clockwise from 12 o'clock. */
  a0: number
  a1: number
  r0: number
  r1: number
}

const TAU = Math.PI * 2
/** The centre disc is this many rings wide: room for the focused node's name and time. */
const CENTRE = 2

export function ringWidth(frame: SunburstFrame): number {
  return frame.radius / (frame.levels - 1 + CENTRE)
}

/** Radius of a ring boundary `y` levels out from the viewport's level (0: the centre point). */
export function radiusAt(frame: SunburstFrame, y: number): number {
  const w = ringWidth(frame)
  if (y <= 0) return 0
  if (y <= 1) return y * CENTRE * w
  return (CENTRE + y - 1) * w
}

/** The inverse of `radiusAt`. */
export function levelAtRadius(frame: SunburstFrame, r: number): number {
  const w = ringWidth(frame)
  const centre = CENTRE * w
  return r <= centre ? r / centre : 1 + (r - centre) / w
}

/** Where a cell is drawn, or null when it is outside the view. Not culled for size. */
export function arcOf(cell: Cell, view: Viewport, frame: SunburstFrame): Arc | null {
  const span = view.x1 - view.x0
  if (span <= 0) return null
  const a0 = (Math.max(cell.x0, view.x0) - view.x0) / span
  const a1 = (Math.min(cell.x1, view.x1) - view.x0) / span
  if (a1 <= a0) return null
  const y = cell.level - view.level
  const r0 = radiusAt(frame, y)
  const r1 = Math.min(radiusAt(frame, y + 1), frame.radius)
  if (r1 <= r0) return null
  return { a0: a0 * TAU, a1: a1 * TAU, r0, r1 }
}

/** The cell under a point (canvas pixels), or -1. */
export function hitTestSunburst(
  partition: Partition,
  view: Viewport,
  frame: SunburstFrame,
  px: number,
  py: number,
): number {
  const dx = px - frame.cx
  const dy = py - frame.cy
  const r = Math.hypot(dx, dy)
  if (r > frame.radius) return -1
  const level = Math.floor(view.level + levelAtRadius(frame, r))
  let angle = Math.atan2(dx, -dy)
  if (angle < 0) angle += TAU
  const x = view.x0 + (angle / TAU) * (view.x1 - view.x0)
  return findCellAt(partition, level, x)
}

/** The point in the middle of an arc (for the tooltip and labels). */
export function arcCentre(arc: Arc, frame: SunburstFrame): { x: number; y: number } {
  if (arc.r0 === 0 && arc.a1 - arc.a0 >= TAU - 1e-9) return { x: frame.cx, y: frame.cy }
  const a = (arc.a0 + arc.a1) / 2
  const r = (arc.r0 + arc.r1) / 2
  return { x: frame.cx + Math.sin(a) * r, y: frame.cy - Math.cos(a) * r }
}

/** The frame that fits a canvas of this size, with a margin for the focus outline. */
export function fitSunburst(width: number, height: number, levels: number): SunburstFrame {
  return {
    cx: width / 2,
    cy: height / 2,
    radius: Math.max(0, Math.min(width, height) / 2 - 6),
    levels: Math.max(1, levels),
  }
}

export interface LabelRoom {
  /** Along the arc (tangential) or along the radius (radial). */
  orientation: 'tangential' | 'radial'
  /** The longest text that fits, in pixels. */
  width: number
  /** Distance from the centre to the middle of the text. */
  r: number
}

/**
 * Room for a one-line label of height `h` in a ring arc: straight text across the arc or along
 * its radius, whichever holds more. Straight text across a ring touches its inner edge in the
 * middle and reaches outward at both ends, so it sits low in the ring and its corners must stay
 * inside the outer circle and the arc's two radii. Null when neither holds a line.
 */
export function labelRoom(arc: Arc, h: number): LabelRoom | null {
  const da = arc.a1 - arc.a0
  let tangential = 0
  const rt = arc.r0 + 1 + h / 2
  if (arc.r1 - arc.r0 >= h + 2) {
    const byRadius = 2 * Math.sqrt(Math.max(0, arc.r1 ** 2 - (rt + h / 2) ** 2))
    const byAngle = da < Math.PI ? 2 * (rt - h / 2) * Math.tan(da / 2) : Infinity
    tangential = Math.min(byRadius, byAngle) - 4
  }
  let radial = 0
  if (da >= Math.PI || 2 * arc.r0 * Math.tan(da / 2) >= h + 1) radial = arc.r1 - arc.r0 - 6
  if (tangential <= 0 && radial <= 0) return null
  return tangential >= radial
    ? { orientation: 'tangential', width: tangential, r: rt }
    : { orientation: 'radial', width: radial, r: (arc.r0 + arc.r1) / 2 }
}
