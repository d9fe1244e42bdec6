/**
 * The geometry of the series charts (a few hundred runs, so SVG and no scale library): each
 * run at an even step along x in series order, each line on a linear scale from 0 to a round
 * number above its largest value. Pure, so that what the chart draws can be tested as numbers.
 */

export interface ChartLine {
  key: string
  values: readonly (number | null)[]
  /** The left scale, or a second one on the right (a run's total beside a function's times). */
  axis: 'left' | 'right'
}

export interface ChartBox {
  width: number
  height: number
  /** Room for the axes' text. */
  margin: { top: number; right: number; bottom: number; left: number }
}

export interface Tick {
  value: number
  /** Where along its axis: y for a value, x for a run. */
  at: number
}

export interface LaidOutLine {
  key: string
  axis: 'left' | 'right'
  /** SVG path data; a missing value (null) breaks the line rather than dropping it to 0. */
  path: string
  ys: (number | null)[]
}

export interface ChartLayout {
  xs: number[]
  lines: LaidOutLine[]
  leftTicks: Tick[]
  /** Empty when no line uses the right scale. */
  rightTicks: Tick[]
  /** Runs named under the x axis, by index. */
  runTicks: Tick[]
  plot: { left: number; right: number; top: number; bottom: number }
}

/**
 * 0 and round steps (1, 2 or 5 × a power of ten) up to the first at or above `max`, about
 * `target` of them. `[0]` when there is nothing above 0.
 */
export function niceTicks(max: number, target = 4): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0]
  const raw = max / target
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  // d3's thresholds: the step nearest `raw` on a log scale.
  const norm = raw / magnitude
  const step =
    (norm >= Math.sqrt(50) ? 10 : norm >= Math.sqrt(10) ? 5 : norm >= Math.sqrt(2) ? 2 : 1) *
    magnitude
  const n = Math.ceil(max / step - 1e-9)
  // toPrecision: 3 × 0.1 is 0.30000000000000004, and a tick label should say 0.3.
  return Array.from({ length: n + 1 }, (_, i) => Number((i * step).toPrecision(12)))
}

/** About `max` run indices spread evenly, the first and the last always among them. */
export function pickRunTicks(count: number, max: number): number[] {
  if (count <= 0) return []
  if (count <= max) return Array.from({ length: count }, (_, i) => i)
  const slots = Math.max(1, max - 1)
  const step = Math.ceil((count - 1) / slots)
  const ticks: number[] = []
  for (let i = 0; i < count - 1; i += step) ticks.push(i)
  // The last run, unless it would sit on top of the tick before it.
  if (count - 1 - ticks[ticks.length - 1]! < step / 2) ticks.pop()
  ticks.push(count - 1)
  return ticks
}

function pathOf(xs: readonly number[], ys: readonly (number | null)[]): string {
  let path = ''
  let drawing = false
  ys.forEach((y, i) => {
    if (y === null) {
      drawing = false
      return
    }
    path += `${drawing ? 'L' : 'M'}${round(xs[i]!)},${round(y)}`
    drawing = true
  })
  return path
}

const round = (n: number) => Math.round(n * 10) / 10

export function computeChartLayout(
  count: number,
  lines: readonly ChartLine[],
  box: ChartBox,
): ChartLayout {
  const { width, height, margin } = box
  const plot = {
    left: margin.left,
    right: Math.max(margin.left + 1, width - margin.right),
    top: margin.top,
    bottom: Math.max(margin.top + 1, height - margin.bottom),
  }
  const span = plot.right - plot.left
  const xs = Array.from({ length: count }, (_, i) =>
    count === 1 ? plot.left + span / 2 : plot.left + (span * i) / (count - 1),
  )
  const maxOf = (axis: 'left' | 'right') =>
    Math.max(
      0,
      ...lines
        .filter((line) => line.axis === axis)
        .flatMap((line) => line.values.filter((v): v is number => v !== null)),
    )
  const scale = (axis: 'left' | 'right') => {
    const ticks = niceTicks(maxOf(axis))
    const top = ticks[ticks.length - 1]! || 1
    const y = (value: number) => plot.bottom - ((plot.bottom - plot.top) * value) / top
    return { ticks: ticks.map((value) => ({ value, at: y(value) })), y }
  }
  const left = scale('left')
  const right = scale('right')
  const laidOut = lines.map((line) => {
    const y = line.axis === 'left' ? left.y : right.y
    const ys = line.values.map((v) => (v === null ? null : y(v)))
    return { key: line.key, axis: line.axis, path: pathOf(xs, ys), ys }
  })
  const runTicks = pickRunTicks(count, Math.max(2, Math.floor(span / 70))).map((i) => ({
    value: i,
    at: xs[i]!,
  }))
  return {
    xs,
    lines: laidOut,
    leftTicks: left.ticks,
    rightTicks: lines.some((line) => line.axis === 'right') ? right.ticks : [],
    runTicks,
    plot,
  }
}
