/**
 * The pattern laid over estimated nodes: thin diagonal lines of `color` (the theme's
 * `ChartPalette.hatch`), dark enough to see on every package colour, light enough to read a
 * label through.
 */
export function createHatch(ctx: CanvasRenderingContext2D, color: string): CanvasPattern | null {
  const size = 6
  const tile = document.createElement('canvas')
  tile.width = size
  tile.height = size
  const t = tile.getContext('2d')
  if (!t) return null
  t.strokeStyle = color
  t.lineWidth = 1.2
  t.beginPath()
  // One diagonal plus its wrapped ends, so the tiles join seamlessly.
  t.moveTo(-1, size + 1)
  t.lineTo(size + 1, -1)
  t.moveTo(-1, 1)
  t.lineTo(1, -1)
  t.moveTo(size - 1, size + 1)
  t.lineTo(size + 1, size - 1)
  t.stroke()
  return ctx.createPattern(tile, 'repeat')
}
