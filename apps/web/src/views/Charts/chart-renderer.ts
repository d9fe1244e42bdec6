import type { CallTreeNode } from '@profhub/profile'
import type { ChartPalette } from '../../chart-colors.ts'
import type { Partition, Step, Viewport } from '../../layout/partition.ts'
import type { TextFitter } from './canvas-text.ts'

/** What one frame draws: a partition seen through a viewport (FULL_VIEW except mid-zoom). */
export interface Scene {
  partition: Partition
  view: Viewport
}

/** Everything besides geometry that decides how a cell looks. */
export interface Paint {
  /** Fill colour of each function, by index. */
  colors: readonly string[]
  /** Fill colour of each node, when the chart is coloured by node (the compare view's change). */
  fill?: (node: CallTreeNode) => string
  /** Functions matching Search (by index); null when not searching. */
  matches: Uint8Array | null
  /** The selected function (all its nodes are outlined); null for none. */
  selectedFunc: number | null
  /** Cell indexes in the scene's partition, -1 for none. */
  hover: number
  cursor: number
  showCursor: boolean
  hatch: CanvasPattern | null
  /** The theme's chart colours (outlines, labels, fading). */
  palette: ChartPalette
  /** The node's short label, already made safe to show (`displayText`). */
  label: (node: CallTreeNode) => string
  /** The focused node's time and share, shown with its label. */
  focusNote: string
  text: TextFitter
}

/** The chart-specific part of a canvas chart: geometry, drawing, hit-testing, arrow keys. */
export interface ChartRenderer<F> {
  /** The frame for a canvas of `width` × `height` CSS pixels, and the canvas height to use. */
  fit(width: number, height: number, levels: number): { frame: F; height: number }
  draw(ctx: CanvasRenderingContext2D, scene: Scene, frame: F, paint: Paint): void
  /** The cell under a point in CSS pixels, or -1. */
  hitTest(scene: Scene, frame: F, x: number, y: number): number
  /** Where to point at a cell (tooltip of the keyboard cursor), or null if not drawn. */
  anchor(scene: Scene, frame: F, index: number): { x: number; y: number } | null
  keys: Partial<Record<string, Step>>
}

export const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'
export const BOLD_FONT = '600 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'
export const FONT_SIZE = 12

export function fillOf(node: CallTreeNode, paint: Paint): string {
  if (paint.fill) return paint.fill(node)
  return node.func < 0 ? paint.palette.top : (paint.colors[node.func] ?? paint.palette.top)
}

export function isDimmed(node: CallTreeNode, paint: Paint): boolean {
  return paint.matches !== null && (node.func < 0 || paint.matches[node.func] !== 1)
}
