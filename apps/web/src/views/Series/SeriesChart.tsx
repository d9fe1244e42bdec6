import {
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
} from 'react'
import { formatDuration } from '@profhub/profile'
import { Link } from '../common/Link.tsx'
import { computeChartLayout, type ChartLine } from './series-chart.ts'
import styles from './Series.module.css'

/** How a line is drawn: not by colour alone, each has its own dash. */
export type LineVariant = 'primary' | 'secondary' | 'total'

export interface SeriesChartLine extends ChartLine {
  label: string
  variant: LineVariant
}

/** A mark on a point besides its dot: a shape, named in the legend. */
export type PointMark = 'slower' | 'faster' | 'absent' | null

export interface SeriesChartPoint {
  runId: string
  /** The point's accessible name (`Run 3: nightly, 1.20 s`). */
  label: string
  /** What hovering or focusing the point shows. */
  tooltip: ReactNode
  mark: PointMark
}

const HEIGHT = 260
const MARGIN = { top: 14, right: 16, bottom: 34, left: 64 }
const MARGIN_RIGHT_SCALE = 64

const MARK_TEXT: Record<Exclude<PointMark, null>, string> = {
  slower: '▲ slower',
  faster: '▼ faster',
  absent: '× absent',
}

/**
 * A line chart of the runs of a series, oldest first: each run a link to its page on the first
 * line (hover or focus shows its tooltip). The points are one stop for Tab; the arrow keys,
 * Home and End move between them. Lines on the `right` axis get a scale of their own.
 */
export function SeriesChart({
  name,
  lines,
  points,
  runAxis,
}: {
  name: string
  lines: readonly SeriesChartLine[]
  points: readonly SeriesChartPoint[]
  /** What the x axis counts (`runs, oldest first by commit time`). */
  runAxis: string
}) {
  const box = useRef<HTMLDivElement>(null)
  const width = useWidth(box)
  const [shown, setShown] = useState<number | null>(null)
  const [active, setActive] = useState(points.length - 1)
  const hasRight = lines.some((line) => line.axis === 'right')
  const layout = computeChartLayout(points.length, lines, {
    width,
    height: HEIGHT,
    margin: { ...MARGIN, right: hasRight ? MARGIN_RIGHT_SCALE : MARGIN.right },
  })
  const { plot, xs } = layout
  const first = layout.lines[0]
  const yOf = (i: number) => first?.ys[i] ?? plot.bottom
  const marks = new Set(points.map((p) => p.mark).filter((m) => m !== null))

  const onKeyDown = (event: KeyboardEvent) => {
    const moves: Record<string, number> = {
      ArrowRight: active + 1,
      ArrowLeft: active - 1,
      Home: 0,
      End: points.length - 1,
    }
    const next = moves[event.key]
    if (next === undefined) return
    event.preventDefault()
    const to = Math.min(points.length - 1, Math.max(0, next))
    setActive(to)
    box.current?.querySelector<SVGAElement>(`[data-point="${to}"]`)?.focus()
  }

  const tipAt = shown === null ? null : { x: xs[shown] ?? 0, y: yOf(shown) }
  return (
    <figure className={styles.chart} aria-label={name}>
      <div ref={box} className={styles.chartBox}>
        <svg width={width} height={HEIGHT} className={styles.svg}>
          {layout.leftTicks.map((tick) => (
            <g key={`l${tick.value}`}>
              <line
                x1={plot.left}
                x2={plot.right}
                y1={tick.at}
                y2={tick.at}
                className={styles.grid}
              />
              <text x={plot.left - 6} y={tick.at} className={styles.tickLeft}>
                {formatDuration(tick.value)}
              </text>
            </g>
          ))}
          {layout.rightTicks.map((tick) => (
            <text
              key={`r${tick.value}`}
              x={plot.right + 6}
              y={tick.at}
              className={styles.tickRight}
            >
              {formatDuration(tick.value)}
            </text>
          ))}
          {layout.runTicks.map((tick) => (
            <text
              key={`x${tick.value}`}
              x={tick.at}
              y={plot.bottom + 16}
              className={styles.tickRun}
            >
              {tick.value + 1}
            </text>
          ))}
          <text x={(plot.left + plot.right) / 2} y={HEIGHT - 2} className={styles.axisTitle}>
            {runAxis}
          </text>
          {layout.lines.map((line, i) => (
            <path key={line.key} d={line.path} className={styles[lines[i]!.variant]} />
          ))}
          <g onKeyDown={onKeyDown}>
            {points.map((point, i) => (
              <Link
                key={point.runId}
                href={`/runs/${encodeURIComponent(point.runId)}`}
                data-point={i}
                tabIndex={i === active ? 0 : -1}
                aria-label={point.label}
                className={styles.point}
                onMouseEnter={() => setShown(i)}
                onMouseLeave={() => setShown(null)}
                onFocus={() => {
                  setActive(i)
                  setShown(i)
                }}
                onBlur={() => setShown(null)}
              >
                <Mark
                  x={xs[i]!}
                  y={point.mark === 'absent' ? plot.bottom : yOf(i)}
                  mark={point.mark}
                />
              </Link>
            ))}
          </g>
        </svg>
        {tipAt && shown !== null && (
          <div
            role="tooltip"
            // Above the point, or below it when there is no room above (a high point).
            className={`${styles.tooltip} ${tipAt.y < HEIGHT / 2 ? styles.tooltipBelow : ''}`}
            style={{
              left: Math.min(Math.max(tipAt.x, 130), width - 130),
              top: tipAt.y,
            }}
          >
            {points[shown]!.tooltip}
          </div>
        )}
      </div>
      <figcaption className={styles.legend}>
        {lines.map((line) => (
          <span key={line.key} className={styles.legendItem}>
            <svg width="28" height="10" aria-hidden="true">
              <path d="M1,5L27,5" className={styles[line.variant]} />
            </svg>
            {line.label}
            {line.axis === 'right' && ' (right scale)'}
          </span>
        ))}
        {[...marks].map((mark) => (
          <span key={mark} className={`${styles.legendItem} ${styles[`mark-${mark}`]}`}>
            {MARK_TEXT[mark]}
          </span>
        ))}
      </figcaption>
    </figure>
  )
}

/** A dot, or a triangle for a change (up: slower, down: faster), or a cross for absent. */
function Mark({ x, y, mark }: { x: number; y: number; mark: PointMark }) {
  const shape =
    mark === 'slower' ? (
      <path d={`M${x},${y - 7}L${x + 6},${y + 4}L${x - 6},${y + 4}Z`} />
    ) : mark === 'faster' ? (
      <path d={`M${x},${y + 7}L${x + 6},${y - 4}L${x - 6},${y - 4}Z`} />
    ) : mark === 'absent' ? (
      <path d={`M${x - 4},${y - 4}L${x + 4},${y + 4}M${x + 4},${y - 4}L${x - 4},${y + 4}`} />
    ) : (
      <circle cx={x} cy={y} r={3.5} />
    )
  return (
    <g className={mark === null ? styles.dot : styles[`mark-${mark}`]}>
      {/* A larger target than the mark, for a pointer. */}
      <circle cx={x} cy={y} r={10} className={styles.hit} />
      <circle cx={x} cy={y} r={8} className={styles.ring} />
      {shape}
    </g>
  )
}

/** The element's width, followed as the window resizes. */
function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(800)
  useLayoutEffect(() => {
    const element = ref.current
    if (!element) return
    const update = () => setWidth(Math.max(320, Math.floor(element.clientWidth)))
    update()
    const observer = new ResizeObserver(update)
    observer.observe(element)
    return () => observer.disconnect()
  }, [ref])
  return width
}
