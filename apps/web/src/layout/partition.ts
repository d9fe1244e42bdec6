import { hierarchy, partition as d3Partition, type HierarchyNode } from 'd3-hierarchy'
import type { CallTreeNode } from '@profhub/profile'

/**
 * The part of the call tree a chart draws, laid out by d3-hierarchy's `partition` in chart-free
 * units: the root spans x ∈ [0, 1] (the icicle's width, the sunburst's full turn) at level 0, its
 * children sit at level 1 side by side, heaviest first, each as wide as its share of the parent's
 * time. A parent's own time is the gap its children leave at the end (the values are the call
 * tree's, not sums of leaves, so `partition` is handed them as they are).
 *
 * Only what can be seen is laid out: `depth` levels below the root, and only nodes of at least
 * `minFraction` of the root's time. Children are heaviest first, so the kept ones are a prefix.
 * A cell budget bounds the work whatever the settings: when the levels would hold more than
 * `maxCells` cells, the deepest ones are left out (`truncated`).
 */

export interface Cell {
  node: CallTreeNode
  /** Extent along the partitioned axis, as fractions of the root's: [0, 1] for the root. */
  x0: number
  x1: number
  /** 0 for the root, 1 for its children, and so on. */
  level: number
  /** Index of the parent cell in `cells`; -1 for the root. */
  parent: number
  /** Index of the first (heaviest) child cell; -1 when no child is laid out. */
  firstChild: number
  /** Position of this cell in `levels[level]`. */
  position: number
}

export interface Partition {
  root: CallTreeNode
  /** Pre-order: a parent before its children, children left to right. `cells[0]` is the root. */
  cells: Cell[]
  /** For each level, its cells' indexes from left to right (for hit-testing and arrow keys). */
  levels: number[][]
  /** The cell of each laid-out node. */
  indexOf: Map<CallTreeNode, number>
  /** True when the cell budget, not `depth`, decided how many levels there are. */
  truncated: boolean
}

export interface PartitionOptions {
  /** Levels below the root to lay out (0: the root alone). */
  depth: number
  /** Leave out nodes under this fraction of the root's value. */
  minFraction: number
  maxCells?: number
}

export const MAX_CELLS = 40_000

/** The children of `node` worth laying out: a prefix, since children are heaviest first. */
function keptChildren(node: CallTreeNode, threshold: number): CallTreeNode[] {
  const { children } = node
  let end = 0
  while (end < children.length && children[end]!.value >= threshold && children[end]!.value > 0) {
    end++
  }
  return end === children.length ? children : children.slice(0, end)
}

/** How many levels fit in the budget: whole levels only, so no level is drawn half-empty. */
function levelsWithinBudget(
  root: CallTreeNode,
  depth: number,
  threshold: number,
  maxCells: number,
): { depth: number; truncated: boolean } {
  let level: CallTreeNode[] = [root]
  let count = 1
  for (let d = 1; d <= depth; d++) {
    const next: CallTreeNode[] = []
    for (const node of level) {
      for (const child of keptChildren(node, threshold)) next.push(child)
    }
    if (next.length === 0) return { depth: d - 1, truncated: false }
    count += next.length
    if (count > maxCells) return { depth: d - 1, truncated: true }
    level = next
  }
  return { depth, truncated: false }
}

export function computePartition(
  root: CallTreeNode,
  { depth, minFraction, maxCells = MAX_CELLS }: PartitionOptions,
): Partition {
  const threshold = Math.max(0, minFraction) * root.value
  const limit = levelsWithinBudget(root, Math.max(0, Math.floor(depth)), threshold, maxCells)
  const rootDepth = root.depth
  const h = hierarchy(root, (node) =>
    node.depth - rootDepth < limit.depth ? keptChildren(node, threshold) : null,
  )
  // Each node's own value (not `sum()` of its leaves): a parent is wider than its children by
  // its own time. d3 types `value` read-only because `sum` and `count` normally set it.
  h.each((n) => {
    ;(n as { value?: number }).value = n.data.value
  })
  const laidOut = d3Partition<CallTreeNode>().size([1, h.height + 1])(h)

  const cells: Cell[] = []
  const levels: number[][] = []
  const indexOf = new Map<CallTreeNode, number>()
  const cellOf = new Map<HierarchyNode<CallTreeNode>, number>()
  laidOut.eachBefore((n) => {
    const index = cells.length
    const parent = n.parent ? cellOf.get(n.parent)! : -1
    const row = (levels[n.depth] ??= [])
    cells.push({
      node: n.data,
      x0: n.x0,
      x1: n.x1,
      level: n.depth,
      parent,
      firstChild: -1,
      position: row.length,
    })
    row.push(index)
    cellOf.set(n, index)
    indexOf.set(n.data, index)
    if (parent >= 0 && cells[parent]!.firstChild < 0) cells[parent]!.firstChild = index
  })
  return { root, cells, levels, indexOf, truncated: limit.truncated }
}

/** The cell at `x` on `level`, or -1: a binary search, cells on a level being left to right. */
export function findCellAt(partition: Partition, level: number, x: number): number {
  const row = partition.levels[level]
  if (!row || !(x >= 0 && x <= 1)) return -1
  let lo = 0
  let hi = row.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const cell = partition.cells[row[mid]!]!
    if (x < cell.x0) hi = mid - 1
    else if (x >= cell.x1) lo = mid + 1
    else return row[mid]!
  }
  return -1
}

export type Step = 'parent' | 'child' | 'previous' | 'next'

/**
 * Where the keyboard cursor goes from cell `index`: up to the parent, down to the heaviest
 * child, or to the neighbour on the same level (across parents, as the eye reads the chart).
 * Returns `index` itself when there is nowhere to go.
 */
export function stepCell(partition: Partition, index: number, step: Step): number {
  const cell = partition.cells[index]
  if (!cell) return index
  switch (step) {
    case 'parent':
      return cell.parent >= 0 ? cell.parent : index
    case 'child':
      return cell.firstChild >= 0 ? cell.firstChild : index
    case 'previous':
    case 'next': {
      const row = partition.levels[cell.level]!
      const to = cell.position + (step === 'next' ? 1 : -1)
      return to >= 0 && to < row.length ? row[to]! : index
    }
  }
}

/** A span of the chart in partition units: what fills the view (the focused node's extent). */
export interface Viewport {
  x0: number
  x1: number
  /** The level drawn at the centre of the sunburst / the icicle's top row. */
  level: number
}

export const FULL_VIEW: Viewport = { x0: 0, x1: 1, level: 0 }

/**
 * Where `node` lies in a partition of its ancestor `root`, computed along the path (so it is
 * known even when the node is too small to be laid out there).
 */
export function spanOf(node: CallTreeNode, root: CallTreeNode): Viewport {
  const path: CallTreeNode[] = []
  for (let at: CallTreeNode | null = node; at && at !== root; at = at.parent) path.push(at)
  let x0 = 0
  let x1 = 1
  let parent = root
  for (let i = path.length - 1; i >= 0; i--) {
    const child = path[i]!
    const scale = parent.value > 0 ? (x1 - x0) / parent.value : 0
    let before = 0
    for (const sibling of parent.children) {
      if (sibling === child) break
      before += sibling.value
    }
    x0 += before * scale
    x1 = x0 + child.value * scale
    parent = child
  }
  return { x0, x1, level: path.length }
}

/** The deepest node that is an ancestor of both (or one of them). */
export function commonAncestor(a: CallTreeNode, b: CallTreeNode): CallTreeNode {
  const seen = new Set<CallTreeNode>()
  for (let at: CallTreeNode | null = a; at; at = at.parent) seen.add(at)
  for (let at: CallTreeNode | null = b; at; at = at.parent) if (seen.has(at)) return at
  return a // different trees: never happens with one tree
}

/** Smooth start and end (cubic), for the zoom. */
export function easeInOut(t: number): number {
  return t < 0.5 ? 4 * t * t * t : 1 - (-2 * t + 2) ** 3 / 2
}

export function interpolateViewport(from: Viewport, to: Viewport, t: number): Viewport {
  const k = easeInOut(Math.min(1, Math.max(0, t)))
  return {
    x0: from.x0 + (to.x0 - from.x0) * k,
    x1: from.x1 + (to.x1 - from.x1) * k,
    level: from.level + (to.level - from.level) * k,
  }
}

/**
 * A zoom from one focused node to another, drawn over a partition of their common ancestor:
 * the view moves from one's span to the other's, so what was on screen slides and grows into
 * place. The ancestor's partition goes as deep and as fine as the finer end needs.
 */
export interface Zoom {
  partition: Partition
  from: Viewport
  to: Viewport
}

export function computeZoom(
  from: CallTreeNode,
  to: CallTreeNode,
  { depth, minFraction, maxCells = MAX_CELLS }: PartitionOptions,
): Zoom | null {
  const root = commonAncestor(from, to)
  const fromSpan = spanOf(from, root)
  const toSpan = spanOf(to, root)
  if (root.value <= 0) return null
  const finer = Math.min(from.value, to.value) / root.value
  const partition = computePartition(root, {
    depth: depth + Math.max(fromSpan.level, toSpan.level),
    minFraction: minFraction * finer,
    maxCells,
  })
  // Too big to lay out in one frame's time: jump instead.
  if (partition.truncated) return null
  return { partition, from: fromSpan, to: toSpan }
}
