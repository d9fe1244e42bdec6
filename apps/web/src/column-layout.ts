/**
 * How a table's columns share its width, pure: number columns are as wide as their widest text
 * (measured by the caller in pixels), the label column takes the rest but never less than its
 * minimum; when that does not fit, the columns with the highest `hideOrder` go first, a level at
 * a time, so the function's name stays on screen.
 */

export interface ColumnSize {
  key: string
  /** A number column's widest text or header, in pixels; null for the label column. */
  width: number | null
  /** Hidden first when the table is narrow (the highest first); absent: always shown. */
  hideOrder?: number
}

/** A number column's most width: beyond that a value is absurd and may be cut. */
export const MAX_NUMBER_PX = 240
/** Horizontal padding of a number cell (4px each side). */
export const CELL_PADDING_PX = 8
/** Room for the body's vertical scrollbar (its gutter is kept, `scrollbar-gutter: stable`). */
const SCROLLBAR_PX = 16

/** A number column's width, padding included, in whole pixels. */
export function columnWidth(column: ColumnSize): number {
  return Math.ceil(Math.min(MAX_NUMBER_PX, column.width ?? 0)) + CELL_PADDING_PX
}

/**
 * The columns that fit in `availablePx` with the label column `label.want` pixels wide (hiding
 * columns for it), their CSS grid template and the least width of the rows, with the label
 * column `label.least` wide (the table scrolls sideways below it). With nothing measured yet
 * (`availablePx` 0) every column is shown.
 */
export function computeColumnLayout<C extends ColumnSize>(
  columns: readonly C[],
  availablePx: number,
  label: { want: number; least: number },
): { visible: C[]; template: string; minWidth: number } {
  const needPx = (shown: readonly C[], labelPx = label.want) =>
    shown.reduce((sum, c) => sum + (c.width === null ? labelPx : columnWidth(c)), SCROLLBAR_PX)
  let visible = columns.slice()
  const orders = [...new Set(columns.map((c) => c.hideOrder ?? 0))]
    .filter((o) => o > 0)
    .sort((a, b) => b - a)
  for (const order of orders) {
    if (availablePx <= 0 || needPx(visible) <= availablePx) break
    visible = visible.filter((c) => c.hideOrder !== order)
  }
  const template = visible
    .map((c) => (c.width === null ? `minmax(${label.least}px, 1fr)` : `${columnWidth(c)}px`))
    .join(' ')
  return { visible, template, minWidth: needPx(visible, label.least) }
}
