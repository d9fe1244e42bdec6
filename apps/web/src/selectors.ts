import {
  diffCallTrees,
  diffProfiles,
  type CallTree,
  type CallTreeDiff,
  type CallTreeNode,
  type ProfileDiff,
  type ProfileDocument,
  type SortDirection,
} from '@profhub/profile'
import {
  computeFunctionColors,
  computeFunctionPackages,
  computeLegend,
  type LegendEntry,
} from './chart-colors.ts'
import { displayText } from './display-text.ts'
import { sliceSteps } from './steps.ts'
import { activeTheme, type Theme } from './theme.ts'
import { computePartition, type Partition } from './layout/partition.ts'
import {
  computeProfileIndex,
  computeProfileIndexInSteps,
  functionKey,
  type ProfileIndex,
} from './profile-index.ts'
import { computeHeaviestOccurrences, hashFunctionKey } from './tree/focus-path.ts'
import { ALL_FUNCTIONS, shortLabel } from './node-text.ts'
import {
  computeCompareRow,
  computeCompareRows,
  computeCompareWidestText,
  finishCompareWidestScan,
  scanCompareWidestText,
  sortCompareRows,
  sortCompareRowsInSteps,
  startCompareWidestScan,
  type CompareSortKey,
  type CompareRow,
} from './compare-rows.ts'
import {
  computeSearchText,
  computeTableColumns,
  computeTableRow,
  computeTableWidestText,
  sortTableIndices,
  type SearchText,
  type TableColumns,
  type TableRow,
  type TableSortKey,
} from './table-rows.ts'

/**
 * Per-profile derived data, computed once per loaded document and cached beside it (a WeakMap:
 * it goes when the store drops the profile). Components read these instead of storing results.
 */

function memoizeByDocument<T>(compute: (doc: ProfileDocument) => T): (doc: ProfileDocument) => T {
  const cache = new WeakMap<ProfileDocument, T>()
  return (doc) => {
    let value = cache.get(doc)
    if (value === undefined) {
      value = compute(doc)
      cache.set(doc, value)
    }
    return value
  }
}

const profileIndexes = new WeakMap<ProfileDocument, ProfileIndex>()

/** Function keys and caller/callee lists (see `computeProfileIndex`), once per profile. */
export function selectProfileIndex(doc: ProfileDocument): ProfileIndex {
  let index = profileIndexes.get(doc)
  if (!index) profileIndexes.set(doc, (index = computeProfileIndex(doc)))
  return index
}

/**
 * `selectProfileIndex(doc)`, worked out when one of its fields is first read: a run page's first
 * view (no function selected) reads none (at 100k functions the index is 85 ms before the first
 * frame), and the page works it out when idle after that.
 */
export const selectLazyProfileIndex = memoizeByDocument((doc): ProfileIndex => ({
  get byKey() {
    return selectProfileIndex(doc).byKey
  },
  get callers() {
    return selectProfileIndex(doc).callers
  },
  get callees() {
    return selectProfileIndex(doc).callees
  },
}))

/**
 * `selectProfileIndex(doc)` as steps of `size` functions, for a page that must answer between
 * them (see `computeProfileIndexInSteps`); none once the index is known.
 */
export function selectProfileIndexSteps(doc: ProfileDocument, size: number): (() => void)[] {
  if (profileIndexes.has(doc)) return []
  return computeProfileIndexInSteps(doc, size, (index) => profileIndexes.set(doc, index))
}

/** Table rows, each built the first time it is asked for (all 100k at once take ~120 ms). */
const selectRowCache: (doc: ProfileDocument) => (TableRow | undefined)[] = memoizeByDocument(
  () => [],
)

/** The table row of function `index` (its key, pstats label, per-call times), built lazily. */
export function selectTableRow(doc: ProfileDocument, index: number): TableRow {
  const cache = selectRowCache(doc)
  return (cache[index] ??= computeTableRow(doc.functions[index]!, index))
}

/** Every table row at once: prefer `selectTableRow` (building them all takes ~120 ms for 100k). */
export const selectTableRows: (doc: ProfileDocument) => readonly TableRow[] = memoizeByDocument(
  (doc) => doc.functions.map((_, index) => selectTableRow(doc, index)),
)

/** The table's typed sort columns and key rank (see `computeTableColumns`). */
export const selectTableColumns: (doc: ProfileDocument) => TableColumns = memoizeByDocument((doc) =>
  computeTableColumns(doc.functions),
)

/** The widest text of each of the table's number columns. */
export const selectTableWidestText: (doc: ProfileDocument) => Record<TableSortKey, string> =
  memoizeByDocument((doc) => computeTableWidestText(doc.functions))

/** Lower-cased names and files for the table's search, once per profile. */
export const selectSearchText: (doc: ProfileDocument) => SearchText = memoizeByDocument((doc) =>
  computeSearchText(doc.functions),
)

const sortedOrders = new WeakMap<ProfileDocument, Map<string, Int32Array>>()

/** Function indices in the table's order for a sort key and direction, cached per profile. */
export function selectSortedOrder(
  doc: ProfileDocument,
  key: TableSortKey,
  direction: SortDirection,
): Int32Array {
  let orders = sortedOrders.get(doc)
  if (!orders) sortedOrders.set(doc, (orders = new Map()))
  const cacheKey = `${key} ${direction}`
  let order = orders.get(cacheKey)
  if (!order)
    orders.set(cacheKey, (order = sortTableIndices(selectTableColumns(doc), key, direction)))
  return order
}

/** Each function's package (see `packageOf`), by index. */
export const selectFunctionPackages: (doc: ProfileDocument) => readonly string[] =
  memoizeByDocument((doc) => computeFunctionPackages(doc.functions))

const selectThemedColors = memoizeByDocument(() => new Map<Theme, readonly string[]>())
const selectThemedLegend = memoizeByDocument(() => new Map<Theme, readonly LegendEntry[]>())

/** Each function's chart colour in a theme (by default the one in use), by index. */
export function selectFunctionColors(
  doc: ProfileDocument,
  theme: Theme = activeTheme(),
): readonly string[] {
  const byTheme = selectThemedColors(doc)
  let colors = byTheme.get(theme)
  if (!colors) {
    colors = computeFunctionColors(doc.functions, selectFunctionPackages(doc), theme)
    byTheme.set(theme, colors)
  }
  return colors
}

/** The legend's packages: the eight with the most own time. */
export function selectLegend(
  doc: ProfileDocument,
  theme: Theme = activeTheme(),
): readonly LegendEntry[] {
  const byTheme = selectThemedLegend(doc)
  let legend = byTheme.get(theme)
  if (!legend) {
    legend = computeLegend(doc.functions, selectFunctionPackages(doc), 8, theme)
    byTheme.set(theme, legend)
  }
  return legend
}

/** Chart labels, made safe to draw (`displayText`) the first time each is needed. */
export const selectChartLabels: (doc: ProfileDocument) => (node: CallTreeNode) => string =
  memoizeByDocument((doc) => {
    const labels: string[] = []
    return (node) => {
      if (node.func < 0) return ALL_FUNCTIONS
      return (labels[node.func] ??= displayText(shortLabel(doc.functions[node.func]!)))
    }
  })

/** Focus-path steps (hashed function keys), computed once per function. */
export const selectFocusSteps: (doc: ProfileDocument) => (func: number) => string =
  memoizeByDocument((doc) => {
    const steps: string[] = []
    return (func) => (steps[func] ??= hashFunctionKey(functionKey(doc.functions[func]!)))
  })

function memoizeByTree<T>(compute: (tree: CallTree) => T): (tree: CallTree) => T {
  const cache = new WeakMap<CallTree, T>()
  return (tree) => {
    let value = cache.get(tree)
    if (value === undefined) {
      value = compute(tree)
      cache.set(tree, value)
    }
    return value
  }
}

/** Per call tree: each function's heaviest node (see `computeHeaviestOccurrences`). */
export const selectHeaviestOccurrences: (tree: CallTree) => (CallTreeNode | undefined)[] =
  memoizeByTree(computeHeaviestOccurrences)

/** Per bottom-up tree: each function's root (its own time), by function index. */
export const selectInvertedRoots: (tree: CallTree) => ReadonlyMap<number, CallTreeNode> =
  memoizeByTree((tree) => new Map(tree.roots.map((root) => [root.func, root])))

/** A value per pair of objects, dropped with either (nested WeakMaps). */
function memoizeByPair<A extends object, B extends object, T>(
  compute: (a: A, b: B) => T,
): (a: A, b: B) => T {
  const cache = new WeakMap<A, WeakMap<B, T>>()
  return (a, b) => {
    let inner = cache.get(a)
    if (!inner) cache.set(a, (inner = new WeakMap()))
    let value = inner.get(b)
    if (value === undefined) {
      value = compute(a, b)
      inner.set(b, value)
    }
    return value
  }
}

/**
 * Two runs compared (before, after): ~25 ms for two 20k-function profiles, so on the main
 * thread, once per pair.
 */
export const selectProfileDiff: (before: ProfileDocument, after: ProfileDocument) => ProfileDiff =
  memoizeByPair(diffProfiles)

const compareRows = new WeakMap<ProfileDiff, readonly CompareRow[]>()
const compareWidestText = new WeakMap<readonly CompareRow[], Record<CompareSortKey, string>>()
const sortedCompareRows = new WeakMap<readonly CompareRow[], Map<string, readonly CompareRow[]>>()

/** The compare table's rows (see `computeCompareRows`), once per diff. */
export function selectCompareRows(diff: ProfileDiff): readonly CompareRow[] {
  let rows = compareRows.get(diff)
  if (!rows) compareRows.set(diff, (rows = computeCompareRows(diff)))
  return rows
}

/** The widest text of each of the compare table's number columns. */
export function selectCompareWidestText(
  rows: readonly CompareRow[],
): Record<CompareSortKey, string> {
  let widest = compareWidestText.get(rows)
  if (!widest) compareWidestText.set(rows, (widest = computeCompareWidestText(rows)))
  return widest
}

function sortedCache(rows: readonly CompareRow[]): Map<string, readonly CompareRow[]> {
  let sorted = sortedCompareRows.get(rows)
  if (!sorted) sortedCompareRows.set(rows, (sorted = new Map()))
  return sorted
}

/** The compare rows in a sort's order; the last few orders asked for are kept. */
export function selectSortedCompareRows(
  rows: readonly CompareRow[],
  key: CompareSortKey,
  direction: SortDirection,
): readonly CompareRow[] {
  const cache = sortedCache(rows)
  let sorted = cache.get(`${key} ${direction}`)
  if (!sorted)
    keepSorted(cache, `${key} ${direction}`, (sorted = sortCompareRows(rows, key, direction)))
  return sorted
}

function keepSorted(
  cache: Map<string, readonly CompareRow[]>,
  key: string,
  sorted: readonly CompareRow[],
): void {
  if (cache.size >= 4) cache.delete(cache.keys().next().value!)
  cache.set(key, sorted)
}

/**
 * What the compare table shows first, as steps of `size` rows for a page that must answer
 * between them: the rows (`selectCompareRows`), their widest texts and their order for `sort`.
 * A 100k-function run's take ~0.5–1 s in all, on every Swap too.
 */
export function selectCompareTableSteps(
  diff: ProfileDiff,
  sort: { key: CompareSortKey; direction: SortDirection },
  size: number,
): (() => void)[] {
  const known = compareRows.get(diff)
  // Filled by the first steps when not known yet; the later ones read it then.
  const rows: CompareRow[] = known ? [] : new Array(diff.functions.length)
  const list = known ?? rows
  const slices = (work: (from: number, to: number) => void) =>
    sliceSteps(diff.functions.length, size, work)
  const scan = startCompareWidestScan()
  const sortKey = `${sort.key} ${sort.direction}`
  return [
    ...(known
      ? []
      : [
          ...slices((from, to) => {
            for (let i = from; i < to; i++) rows[i] = computeCompareRow(diff.functions[i]!)
          }),
          () => compareRows.set(diff, rows),
        ]),
    ...(compareWidestText.has(list)
      ? []
      : [
          ...slices((from, to) => scanCompareWidestText(scan, list, from, to)),
          () => compareWidestText.set(list, finishCompareWidestScan(scan)),
        ]),
    ...(sortedCache(list).has(sortKey)
      ? []
      : sortCompareRowsInSteps(list, sort.key, sort.direction, size, (sorted) =>
          keepSorted(sortedCache(list), sortKey, sorted),
        )),
  ]
}

const treeDiffs = new WeakMap<CallTree, WeakMap<CallTree, CallTreeDiff>>()

/**
 * The after run's call tree with each node paired with before's (see `diffCallTrees`). `diff`
 * must be the diff of the trees' documents (it brings the function matching; asking a tree
 * from the worker for its document would build its call graph for nothing).
 */
export function selectTreeDiff(diff: ProfileDiff, before: CallTree, after: CallTree): CallTreeDiff {
  let inner = treeDiffs.get(before)
  if (!inner) treeDiffs.set(before, (inner = new WeakMap()))
  let value = inner.get(after)
  if (!value) inner.set(after, (value = diffCallTrees(before, after, diff.matching)))
  return value
}

const partitions = new WeakMap<CallTreeNode, Map<string, Partition>>()

/**
 * The layout of a focused subtree, shared by the sunburst and the icicle (both draw the same
 * cells), so that switching tabs does not lay out 100k-function trees again. A few depth and
 * cutoff settings are kept per focused node.
 */
export function selectPartition(focus: CallTreeNode, depth: number, cutoff: number): Partition {
  let byOptions = partitions.get(focus)
  if (!byOptions) partitions.set(focus, (byOptions = new Map()))
  const key = `${depth}/${cutoff}`
  let partition = byOptions.get(key)
  if (!partition) {
    partition = computePartition(focus, { depth, minFraction: cutoff / 100 })
    if (byOptions.size >= 4) byOptions.delete(byOptions.keys().next().value!)
    byOptions.set(key, partition)
  }
  return partition
}
