import {
  fitIcicle,
  hitTestIcicle,
  rectOf,
  type IcicleFrame,
  type Rect,
} from '../../layout/icicle.ts'
import type { Cell } from '../../layout/partition.ts'
import {
  BOLD_FONT,
  fillOf,
  FONT,
  isDimmed,
  type ChartRenderer,
  type Paint,
  type Scene,
} from '../Charts/chart-renderer.ts'

/** Cells narrower than this (pixels) are not drawn. */
const MIN_WIDTH = 0.4
const PAD = 4
const MIN_LABEL = 24

function drawIcicle(ctx: CanvasRenderingContext2D, scene: Scene, f: IcicleFrame, paint: Paint) {
  const { cells } = scene.partition
  const drawn: { cell: Cell; rect: Rect; index: number }[] = []
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!
    const r = rectOf(cell, scene.view, f)
    if (!r || r.w < MIN_WIDTH) continue
    drawn.push({ cell, rect: r, index: i })
    // A one-pixel white gap between neighbours and rows, once there is room for it.
    const gap = r.w > 3 ? 1 : 0
    const x = r.x
    const w = r.w - gap
    const h = r.h - 1
    ctx.fillStyle = fillOf(cell.node, paint)
    ctx.fillRect(x, r.y, w, h)
    if (!cell.node.exact && paint.hatch) {
      ctx.fillStyle = paint.hatch
      ctx.fillRect(x, r.y, w, h)
    }
    if (isDimmed(cell.node, paint)) {
      ctx.fillStyle = paint.palette.dim
      ctx.fillRect(x, r.y, w, h)
    }
  }

  for (const { cell, rect: r, index } of drawn) {
    if (paint.selectedFunc !== null && cell.node.func === paint.selectedFunc) {
      ctx.strokeStyle = paint.palette.selected
      ctx.lineWidth = 2
      ctx.strokeRect(r.x + 1, r.y + 1, Math.max(0, r.w - 3), r.h - 3)
    }
    if (index === paint.hover) {
      ctx.strokeStyle = paint.palette.hover
      ctx.lineWidth = 1.5
      ctx.strokeRect(r.x + 0.75, r.y + 0.75, Math.max(0, r.w - 2.5), r.h - 2.5)
    }
  }
  const cursor = paint.showCursor ? drawn.find((d) => d.index === paint.cursor) : undefined
  if (cursor) {
    const r = cursor.rect
    ctx.strokeStyle = paint.palette.cursorHalo
    ctx.lineWidth = 4
    ctx.strokeRect(r.x + 2, r.y + 2, Math.max(0, r.w - 5), r.h - 5)
    ctx.strokeStyle = paint.palette.cursor
    ctx.lineWidth = 2
    ctx.strokeRect(r.x + 1, r.y + 1, Math.max(0, r.w - 3), r.h - 3)
  }

  ctx.textAlign = 'left'
  ctx.textBaseline = 'middle'
  for (const { cell, rect: r } of drawn) {
    const room = r.w - 2 * PAD
    if (room < MIN_LABEL) continue
    const focused = cell.node === scene.partition.root && scene.view.level === 0
    paint.text.setFont(focused ? BOLD_FONT : FONT)
    const label = paint.label(cell.node)
    const text = paint.text.fit(focused ? `${label}  ·  ${paint.focusNote}` : label, room)
    if (!text) continue
    ctx.fillStyle = isDimmed(cell.node, paint) ? paint.palette.mutedText : paint.palette.text
    ctx.fillText(text, r.x + PAD, r.y + (r.h - 1) / 2)
  }
}

export const icicleRenderer: ChartRenderer<IcicleFrame> = {
  fit: (width, height, levels) => {
    const frame = fitIcicle(width, height, levels)
    // Taller than the view when the rows need it: the chart scrolls.
    const needed = frame.rowHeight * levels
    return {
      frame: { ...frame, height: Math.max(height, needed) },
      height: Math.max(height, needed),
    }
  },
  draw: drawIcicle,
  hitTest: (scene, frame, x, y) => hitTestIcicle(scene.partition, scene.view, frame, x, y),
  anchor: (scene, frame, index) => {
    const cell = scene.partition.cells[index]
    const r = cell && rectOf(cell, scene.view, frame)
    return r ? { x: r.x + Math.min(r.w / 2, 40), y: r.y + r.h } : null
  },
  keys: { ArrowUp: 'parent', ArrowDown: 'child', ArrowLeft: 'previous', ArrowRight: 'next' },
}
