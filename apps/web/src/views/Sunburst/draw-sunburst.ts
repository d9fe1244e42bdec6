import type { Cell } from '../../layout/partition.ts'
import {
  arcCentre,
  arcOf,
  fitSunburst,
  hitTestSunburst,
  labelRoom,
  type Arc,
  type SunburstFrame,
} from '../../layout/sunburst.ts'
import {
  BOLD_FONT,
  fillOf,
  FONT,
  FONT_SIZE,
  isDimmed,
  type ChartRenderer,
  type Paint,
  type Scene,
} from '../Charts/chart-renderer.ts'

/** Canvas angles start at 3 o'clock; the layout's at 12. */
const BASE = -Math.PI / 2
const TAU = Math.PI * 2
/** Arcs thinner than this (pixels along their outer edge) are not drawn. */
const MIN_ARC = 0.4
/** Room under which a label would be a letter and an ellipsis: not worth drawing. */
const MIN_LABEL = 30

function isFullDisc(arc: Arc): boolean {
  return arc.r0 === 0 && arc.a1 - arc.a0 >= TAU - 1e-9
}

function arcPath(ctx: CanvasRenderingContext2D, f: SunburstFrame, arc: Arc): void {
  ctx.beginPath()
  if (isFullDisc(arc)) {
    ctx.arc(f.cx, f.cy, arc.r1, 0, TAU)
    return
  }
  ctx.arc(f.cx, f.cy, arc.r1, BASE + arc.a0, BASE + arc.a1)
  if (arc.r0 > 0) ctx.arc(f.cx, f.cy, arc.r0, BASE + arc.a1, BASE + arc.a0, true)
  else ctx.lineTo(f.cx, f.cy)
  ctx.closePath()
}

function drawSunburst(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  f: SunburstFrame,
  paint: Paint,
): void {
  const { cells } = scene.partition
  const drawn: { cell: Cell; arc: Arc; index: number }[] = []

  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!
    const arc = arcOf(cell, scene.view, f)
    if (!arc || (arc.a1 - arc.a0) * arc.r1 < MIN_ARC) continue
    drawn.push({ cell, arc, index: i })
    arcPath(ctx, f, arc)
    ctx.fillStyle = fillOf(cell.node, paint)
    ctx.fill()
    if (!cell.node.exact && paint.hatch) {
      ctx.fillStyle = paint.hatch
      ctx.fill()
    }
    if (isDimmed(cell.node, paint)) {
      ctx.fillStyle = paint.palette.dim
      ctx.fill()
    }
    if ((arc.a1 - arc.a0) * arc.r1 > 3) {
      ctx.strokeStyle = paint.palette.separator
      ctx.lineWidth = 1
      ctx.stroke()
    }
  }

  // Outlines above the fills: every node of the selected function, the hovered one, the cursor.
  ctx.lineJoin = 'round'
  for (const { cell, arc, index } of drawn) {
    if (paint.selectedFunc !== null && cell.node.func === paint.selectedFunc) {
      arcPath(ctx, f, arc)
      ctx.strokeStyle = paint.palette.selected
      ctx.lineWidth = 2
      ctx.stroke()
    }
    if (index === paint.hover) {
      arcPath(ctx, f, arc)
      ctx.strokeStyle = paint.palette.hover
      ctx.lineWidth = 1.5
      ctx.stroke()
    }
  }
  const cursor = paint.showCursor ? drawn.find((d) => d.index === paint.cursor) : undefined
  if (cursor) {
    arcPath(ctx, f, cursor.arc)
    ctx.strokeStyle = paint.palette.cursorHalo
    ctx.lineWidth = 5
    ctx.stroke()
    ctx.strokeStyle = paint.palette.cursor
    ctx.lineWidth = 2.5
    ctx.stroke()
  }

  drawLabels(ctx, drawn, f, paint)
}

function drawLabels(
  ctx: CanvasRenderingContext2D,
  drawn: { cell: Cell; arc: Arc }[],
  f: SunburstFrame,
  paint: Paint,
): void {
  ctx.textAlign = 'center'
  ctx.textBaseline = 'middle'
  for (const { cell, arc } of drawn) {
    const dim = isDimmed(cell.node, paint)
    ctx.fillStyle = dim ? paint.palette.mutedText : paint.palette.text
    if (arc.r0 === 0) {
      // The centre: the focused node's name, its time below.
      const width = Math.min(arc.r1 * 1.7, 2 * arc.r1 - 8)
      paint.text.setFont(BOLD_FONT)
      const name = paint.text.fit(paint.label(cell.node), width)
      const note = paint.text.fit(paint.focusNote, width)
      const c = arcCentre(arc, f)
      const twoLines = arc.r1 >= FONT_SIZE * 1.6 && note !== ''
      if (name) ctx.fillText(name, c.x, twoLines ? c.y - FONT_SIZE * 0.6 : c.y)
      if (twoLines) {
        paint.text.setFont(FONT)
        ctx.fillText(paint.text.fit(paint.focusNote, width), c.x, c.y + FONT_SIZE * 0.7)
      }
      continue
    }
    const room = labelRoom(arc, FONT_SIZE)
    if (!room || room.width < MIN_LABEL) continue
    paint.text.setFont(FONT)
    const text = paint.text.fit(paint.label(cell.node), room.width)
    if (!text) continue
    const angle = BASE + (arc.a0 + arc.a1) / 2
    const x = f.cx + Math.cos(angle) * room.r
    const y = f.cy + Math.sin(angle) * room.r
    ctx.save()
    ctx.translate(x, y)
    if (room.orientation === 'tangential') {
      // Upright on both halves: the bottom half is read from the outside.
      ctx.rotate(Math.sin(angle) > 0 ? angle - Math.PI / 2 : angle + Math.PI / 2)
    } else {
      ctx.rotate(Math.cos(angle) >= 0 ? angle : angle + Math.PI)
    }
    ctx.fillText(text, 0, 0)
    ctx.restore()
  }
}

export const sunburstRenderer: ChartRenderer<SunburstFrame> = {
  fit: (width, height, levels) => ({ frame: fitSunburst(width, height, levels), height }),
  draw: drawSunburst,
  hitTest: (scene, frame, x, y) => hitTestSunburst(scene.partition, scene.view, frame, x, y),
  anchor: (scene, frame, index) => {
    const cell = scene.partition.cells[index]
    const arc = cell && arcOf(cell, scene.view, frame)
    return arc ? arcCentre(arc, frame) : null
  },
  // Outward is down the tree, as in the icicle: Up goes to the caller, Down to the callee.
  keys: { ArrowUp: 'parent', ArrowDown: 'child', ArrowLeft: 'previous', ArrowRight: 'next' },
}
