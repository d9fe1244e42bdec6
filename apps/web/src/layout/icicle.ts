import { findCellAt, type Cell, type Partition, type Viewport } from './partition.ts'

/**
 * Icicle geometry: the focused node is the top row across the full width, its callees below,
 * each as wide as its share of time. Rows have one height; the viewport's span fills the width.
 */

export interface IcicleFrame {
  width: number
  height: number
  rowHeight: number
}

export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

export const ROW_HEIGHT = { min: 18, max: 30 }

/** Rows as tall as the canvas allows for `levels` rows, within readable bounds. */
export function fitIcicle(width: number, height: number, levels: number): IcicleFrame {
  const fit = Math.floor(height / Math.max(1, levels))
  return {
    width,
    height,
    rowHeight: Math.min(ROW_HEIGHT.max, Math.max(ROW_HEIGHT.min, fit)),
  }
}

/** Where a cell is drawn, or null when it is outside the view. Not culled for size. */
export function rectOf(cell: Cell, view: Viewport, frame: IcicleFrame): Rect | null {
  const span = view.x1 - view.x0
  if (span <= 0) return null
  const left = ((Math.max(cell.x0, view.x0) - view.x0) / span) * frame.width
  const right = ((Math.min(cell.x1, view.x1) - view.x0) / span) * frame.width
  if (right <= left) return null
  const y = (cell.level - view.level) * frame.rowHeight
  if (y + frame.rowHeight <= 0 || y >= frame.height) return null
  return { x: left, y, w: right - left, h: frame.rowHeight }
}

export function hitTestIcicle(
  partition: Partition,
  view: Viewport,
  frame: IcicleFrame,
  px: number,
  py: number,
): number {
  if (px < 0 || px >= frame.width || py < 0 || py >= frame.height) return -1
  const level = Math.floor(view.level + py / frame.rowHeight)
  const x = view.x0 + (px / frame.width) * (view.x1 - view.x0)
  return findCellAt(partition, level, x)
}
