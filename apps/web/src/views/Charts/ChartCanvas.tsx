import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type PointerEvent,
} from 'react'
import type { CallTreeNode, ProfileDocument } from '@profhub/profile'
import {
  computeZoom,
  easeInOut,
  FULL_VIEW,
  interpolateViewport,
  stepCell,
  type Partition,
  type Zoom,
} from '../../layout/partition.ts'
import { TextFitter } from './canvas-text.ts'
import type { ChartRenderer, Paint, Scene } from './chart-renderer.ts'
import { ChartTooltip } from './ChartTooltip.tsx'
import { createHatch } from './hatch.ts'
import { CHART_PALETTES } from '../../chart-colors.ts'
import { useTheme } from '../common/use-theme.ts'
import { describeNode, summarizeNode, type NodeFacts } from '../../node-text.ts'
import commonStyles from '../common/common.module.css'
import styles from './Charts.module.css'

/** How long a zoom takes. */
export const ZOOM_MS = 200

export interface ChartCanvasProps<F> {
  renderer: ChartRenderer<F>
  /** The canvas's accessible name: "Sunburst chart". */
  name: string
  doc: ProfileDocument
  total: number
  /** The focused subtree as laid out (the root is the focused node). */
  partition: Partition
  depth: number
  /** Percent of the focused node's value. */
  cutoff: number
  colors: readonly string[]
  /** Colours by node instead of by function (`colors` is then unused). */
  fill?: (node: CallTreeNode) => string
  matches: Uint8Array | null
  selectedFunc: number | null
  label: (node: CallTreeNode) => string
  focusNote: string
  /** The id of the element describing the chart in words. */
  describedBy: string
  /** What the tooltip says about a node (default: a call tree node's numbers). */
  describe?: (node: CallTreeNode) => NodeFacts
  onFocusNode: (node: CallTreeNode) => void
}

interface Size {
  width: number
  height: number
  dpr: number
}

interface Animation {
  zoom: Zoom
  /** Set by the first frame, so a slow first frame does not eat the animation. */
  start: number
  /** Levels drawn before and after: the rings and rows grow or shrink with the zoom. */
  fromLevels: number
  toLevels: number
}

/**
 * Levels the chart makes room for: those of the focused subtree, up to the Depth setting, so a
 * shallow subtree fills the chart instead of leaving empty rings.
 */
export function levelsOf(partition: Partition, depth: number): number {
  return Math.max(2, Math.min(depth + 1, partition.levels.length))
}

const prefersReducedMotion = () =>
  typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches

/**
 * A chart on a canvas (SVG cannot hold 10^5 nodes): sized to its box and to the device pixel
 * ratio, redrawn at most once per frame, zooming between focused nodes with a short animation.
 * Mouse: hover for the tooltip, click to focus (the focused node itself: up one level).
 * Keyboard: arrows move a cursor, Enter focuses it, Escape/Backspace go up one level.
 */
export function ChartCanvas<F>(props: ChartCanvasProps<F>) {
  const { renderer, name, doc, total, partition, depth, cutoff, describedBy, onFocusNode } = props
  const focus = partition.root
  const surfaceRef = useRef<HTMLDivElement>(null)
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const frameRef = useRef<F | null>(null)
  const sceneRef = useRef<Scene | null>(null)
  const animRef = useRef<Animation | null>(null)
  const rafRef = useRef(0)
  const paintedRef = useRef(false)
  /** A focus change waits for its first frame, and for its last (`profhub:zoom-*` marks). */
  const zoomMarkRef = useRef({ first: false, last: false })
  /** The search matches last drawn, to mark the first frame that shows new ones. */
  const drawnMatchesRef = useRef<Uint8Array | null>(null)
  /** The hatching pattern, made again when the theme's hatch colour changes. */
  const hatchRef = useRef<{ color: string; pattern: CanvasPattern | null } | null>(null)
  const textRef = useRef<TextFitter | null>(null)

  const [hover, setHover] = useState<{ node: CallTreeNode; x: number; y: number } | null>(null)
  const [cursorNode, setCursorNode] = useState<CallTreeNode | null>(null)
  const [keyboard, setKeyboard] = useState(false)
  const [size, setSize] = useState<Size | null>(null)
  const liveId = useId()
  // A theme change re-renders the chart, and every render redraws it in the new colours.
  const palette = CHART_PALETTES[useTheme()]

  // The cursor stays where it was while it is on screen; otherwise it starts at the focus.
  const cursor = cursorNode && partition.indexOf.has(cursorNode) ? cursorNode : focus
  const hovered = hover && partition.indexOf.has(hover.node) ? hover : null

  // Everything a frame needs, read when the frame runs (frames run outside React's render).
  const latest = useRef({ props, partition, cursor, hovered, keyboard, size, palette })
  useLayoutEffect(() => {
    latest.current = { props, partition, cursor, hovered, keyboard, size, palette }
  })

  const drawFrame = (now: number) => {
    rafRef.current = 0
    const canvas = canvasRef.current
    const { props: p, partition: final, cursor: c, hovered: h, keyboard: k, size } = latest.current
    const { palette } = latest.current
    const ctx = canvas?.getContext('2d')
    if (!canvas || !ctx || !size || size.width <= 0 || size.height <= 0) return

    let scene: Scene = { partition: final, view: FULL_VIEW }
    let levels = levelsOf(final, p.depth)
    const anim = animRef.current
    if (anim) {
      if (anim.start < 0) anim.start = now
      const t = (now - anim.start) / ZOOM_MS
      if (t < 1) {
        scene = {
          partition: anim.zoom.partition,
          view: interpolateViewport(anim.zoom.from, anim.zoom.to, t),
        }
        levels = anim.fromLevels + (anim.toLevels - anim.fromLevels) * easeInOut(t)
        requestDraw()
      } else {
        animRef.current = null
      }
    }

    const { frame, height } = p.renderer.fit(size.width, size.height, levels)
    const pw = Math.round(size.width * size.dpr)
    const ph = Math.round(height * size.dpr)
    if (canvas.width !== pw) canvas.width = pw
    if (canvas.height !== ph) canvas.height = ph
    canvas.style.height = `${height}px`
    ctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0)
    ctx.clearRect(0, 0, size.width, height)
    if (hatchRef.current?.color !== palette.hatch) {
      hatchRef.current = { color: palette.hatch, pattern: createHatch(ctx, palette.hatch) }
    }
    textRef.current ??= new TextFitter(ctx)

    const index = (node: CallTreeNode | null | undefined) =>
      node ? (scene.partition.indexOf.get(node) ?? -1) : -1
    const paint: Paint = {
      colors: p.colors,
      fill: p.fill,
      matches: p.matches,
      selectedFunc: p.selectedFunc,
      hover: index(h?.node),
      cursor: index(c),
      showCursor: k,
      hatch: hatchRef.current.pattern,
      palette,
      label: p.label,
      focusNote: p.focusNote,
      text: textRef.current,
    }
    p.renderer.draw(ctx, scene, frame, paint)
    sceneRef.current = scene
    frameRef.current = frame

    if (!paintedRef.current) {
      paintedRef.current = true
      performance.mark('profhub:chart-painted', { detail: { chart: p.name } })
    }
    // For benchmarks (e2e/bench): the first frame of a new search, a zoom's first and last.
    if (p.matches !== drawnMatchesRef.current) {
      if (drawnMatchesRef.current !== null || p.matches !== null) {
        performance.mark('profhub:search-painted', { detail: { chart: p.name } })
      }
      drawnMatchesRef.current = p.matches
    }
    const marks = zoomMarkRef.current
    if (marks.first) {
      marks.first = false
      performance.mark('profhub:zoom-frame', { detail: { chart: p.name } })
    }
    if (marks.last && !animRef.current) {
      marks.last = false
      performance.mark('profhub:zoom-done', { detail: { chart: p.name } })
    }
  }
  const drawRef = useRef(drawFrame)
  useLayoutEffect(() => {
    drawRef.current = drawFrame
  })
  function requestDraw() {
    if (rafRef.current === 0) rafRef.current = requestAnimationFrame((t) => drawRef.current(t))
  }

  // A new focus zooms from the previous one; a new depth or cutoff just redraws.
  const shown = useRef<Partition | null>(null)
  useLayoutEffect(() => {
    const previous = shown.current
    shown.current = partition
    if (previous === null || previous.root === partition.root) return
    zoomMarkRef.current = { first: true, last: true }
    animRef.current = null
    if (prefersReducedMotion() || !sameTree(previous.root, partition.root)) return
    const zoom = computeZoom(previous.root, partition.root, { depth, minFraction: cutoff / 100 })
    if (zoom) {
      animRef.current = {
        zoom,
        start: -1,
        fromLevels: levelsOf(previous, depth),
        toLevels: levelsOf(partition, depth),
      }
    }
  }, [partition, depth, cutoff])

  // Every render may change what is drawn (hover, search, selection…): one draw per frame.
  useEffect(() => {
    requestDraw()
  })

  useEffect(() => {
    const surface = surfaceRef.current
    if (!surface) return
    const measure = () => {
      const next = {
        width: surface.clientWidth,
        height: surface.clientHeight,
        dpr: window.devicePixelRatio || 1,
      }
      setSize((old) =>
        old && old.width === next.width && old.height === next.height && old.dpr === next.dpr
          ? old
          : next,
      )
    }
    // The observer reports the first size as soon as it observes.
    const observer = new ResizeObserver(measure)
    observer.observe(surface)
    // Moving the window to another screen (or zooming the page) changes the pixel ratio.
    let media: MediaQueryList | null = null
    const watchRatio = () => {
      media?.removeEventListener('change', onRatio)
      media = matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`)
      media.addEventListener('change', onRatio)
    }
    const onRatio = () => {
      watchRatio()
      measure()
    }
    watchRatio()
    return () => {
      observer.disconnect()
      media?.removeEventListener('change', onRatio)
      cancelAnimationFrame(rafRef.current)
      rafRef.current = 0
    }
  }, [])

  const pointAt = (event: PointerEvent | MouseEvent) => {
    const rect = event.currentTarget.getBoundingClientRect()
    return { x: event.clientX - rect.left, y: event.clientY - rect.top }
  }
  const hitNode = (x: number, y: number): CallTreeNode | null => {
    const scene = sceneRef.current
    const frame = frameRef.current
    if (!scene || frame === null) return null
    const i = renderer.hitTest(scene, frame, x, y)
    return i < 0 ? null : scene.partition.cells[i]!.node
  }

  const onPointerMove = (event: PointerEvent<HTMLCanvasElement>) => {
    const { x, y } = pointAt(event)
    const node = hitNode(x, y)
    event.currentTarget.style.cursor = node ? 'pointer' : 'default'
    if (keyboard) setKeyboard(false)
    setHover(node ? { node, x, y } : null)
  }
  const onClick = (event: MouseEvent<HTMLCanvasElement>) => {
    const { x, y } = pointAt(event)
    const node = hitNode(x, y)
    if (!node) return
    setCursorNode(node === focus ? focus : node)
    // What was under the pointer moves away with the zoom; the next move finds what is there.
    setHover(null)
    // Clicking the centre (the focused node) goes back up, as in snakeviz and d3's sunburst.
    if (node === focus) {
      if (focus.parent) onFocusNode(focus.parent)
    } else {
      onFocusNode(node)
    }
  }

  const onKeyDown = (event: KeyboardEvent<HTMLCanvasElement>) => {
    const step = renderer.keys[event.key]
    if (step) {
      event.preventDefault()
      const from = partition.indexOf.get(cursor) ?? 0
      setCursorNode(partition.cells[stepCell(partition, from, step)]!.node)
      setKeyboard(true)
      setHover(null)
      return
    }
    switch (event.key) {
      case 'Enter':
      case ' ':
        event.preventDefault()
        setKeyboard(true)
        if (cursor !== focus) onFocusNode(cursor)
        return
      case 'Escape':
      case 'Backspace':
        if (!focus.parent) return
        event.preventDefault()
        setKeyboard(true)
        setCursorNode(focus)
        onFocusNode(focus.parent)
        return
      case 'Home':
        event.preventDefault()
        setKeyboard(true)
        setCursorNode(focus)
        return
    }
  }

  // The tooltip: the hovered node at the pointer, else the keyboard cursor at its cell.
  let tip: { node: CallTreeNode; x: number; y: number } | null = hovered
  if (!tip && keyboard && size) {
    const { frame } = renderer.fit(size.width, size.height, levelsOf(partition, depth))
    const i = partition.indexOf.get(cursor)
    const scene = { partition, view: FULL_VIEW }
    const at = i === undefined ? null : renderer.anchor(scene, frame, i)
    if (at) tip = { node: cursor, ...at }
  }
  const tooltipId = `${liveId}-tip`

  return (
    <div ref={surfaceRef} className={styles.surface}>
      <canvas
        ref={canvasRef}
        className={styles.canvas}
        tabIndex={0}
        role="application"
        aria-roledescription="chart"
        aria-label={name}
        aria-describedby={tip ? `${describedBy} ${tooltipId}` : describedBy}
        onPointerMove={onPointerMove}
        onPointerLeave={() => setHover(null)}
        onPointerDown={() => setKeyboard(false)}
        onClick={onClick}
        onKeyDown={onKeyDown}
        onFocus={(event) => {
          if (event.currentTarget.matches(':focus-visible')) setKeyboard(true)
        }}
        onBlur={() => setKeyboard(false)}
      />
      {tip && (
        <ChartTooltip
          id={tooltipId}
          facts={props.describe ? props.describe(tip.node) : describeNode(doc, tip.node, total)}
          x={tip.x}
          y={tip.y}
          width={size?.width ?? 0}
          height={size?.height ?? 0}
        />
      )}
      <p className={commonStyles.visuallyHidden} aria-live="polite">
        {keyboard ? `Cursor: ${summarizeNode(doc, cursor, total)}` : ''}
      </p>
    </div>
  )
}

function sameTree(a: CallTreeNode, b: CallTreeNode): boolean {
  const top = (n: CallTreeNode) => {
    while (n.parent) n = n.parent
    return n
  }
  return top(a) === top(b)
}
