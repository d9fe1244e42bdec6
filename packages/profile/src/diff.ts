/**
 * What changed between two profiles of the same program ("did my fix help?"): per function, per
 * summary number, and per call-tree node.
 *
 * Functions are matched by their pstats key `file:line(name)`, in passes; each pass looks only at
 * the functions no earlier pass matched, so the pairing is one-to-one:
 *   1. the exact key (same file, line and name): `both`;
 *   2. the same line and name with the same path below a root, for the same program profiled
 *      from two folders (a laptop and CI, two virtualenvs), in this order:
 *      a. site-packages / dist-packages: the path after the innermost one
 *         (`…/venv-a/lib/python3.11/site-packages/requests/api.py` ~ `/opt/venv/…/requests/api.py`);
 *      b. the standard library: the path after `lib/pythonX.Y/`, same X.Y
 *         (`/usr/lib/python3.11/json/decoder.py` ~ `/root/.pyenv/versions/3.11.7/lib/python3.11/…`);
 *      c. the project: each run's root is the path prefix that, taken off, lines up the most
 *         functions still unmatched (`/home/ann/` and `/builds/ci/` for `proj/app/x.py`; how it
 *         is found, and when a pair of roots is refused, is in `path-roots.ts`). One root per run:
 *         two files of the same name in different folders (`a/models.py`, `b/models.py`) do not
 *         line up, as their paths below the root differ;
 *      d. the standard library of another Python version (`lib/python3.11/` ~ `lib/python3.12/`),
 *         only for what nothing above matched;
 *   3. the same key once memory addresses are left out of the name
 *      (`<built-in method __new__ of type object at 0x7f…>`: CPython names some functions by a
 *      `repr` that holds one): `both`;
 *   4. the same file and name at another line: `moved` (lines above the function were edited);
 *      then the same name and path below each root of 2, at another line: `moved` too.
 *   Passes 2 to 4 pair functions only when the pairing is unique on both sides: with two
 *   unmatched `parse` in one file on either side we cannot tell which became which, so they
 *   stay apart. Passes 2 to 4 leave memory addresses out of names;
 *   5. everything else is `removed` (only in before) or `added` (only in after).
 * The result depends only on the two documents (their functions' order included), never on
 * timing or hashing. Which root a pair was matched below is kept (`FunctionMatching.root`) for
 * the compare page's summary line (`computeMatchCounts`). A row shows after's path.
 * Names are never matched fuzzily: a renamed function (`parse_rules` → `parse`) shows as one
 * removed and one added function. Guessing renames would pair unrelated functions just as often
 * as it found real ones, and a wrong pairing is worse than an honest add/remove.
 * A function missing from one side counts as zero there (calls and times), so its change is all
 * of its numbers; `status` tells it apart from a function that ran zero times.
 */
import { selfTime, type CallTree, type CallTreeNode } from './call-tree.ts'
import { matchFunctions, type FunctionMatching } from './match-functions.ts'
import type { FunctionStats, ProfileDocument, Summary } from './pstats.ts'

export * from './match-functions.ts'

export type DiffStatus = 'both' | 'moved' | 'added' | 'removed'

/** One number before and after, and `after - before`. */
export interface Change {
  before: number
  after: number
  change: number
}

export interface FunctionDiff {
  status: DiffStatus
  file: string
  name: string
  /** The function's line in each run; null where it is missing. They differ only when `moved`. */
  lineBefore: number | null
  lineAfter: number | null
  /** Indexes into each document's `functions`; null where it is missing. */
  beforeIndex: number | null
  afterIndex: number | null
  ncalls: Change
  primitiveCalls: Change
  tottime: Change
  cumtime: Change
}

/** A summary number: its change and the change in percent of before (null when before is 0). */
export interface SummaryChange extends Change {
  percent: number | null
}

export interface SummaryDiff {
  totalTime: SummaryChange
  totalCalls: SummaryChange
  primitiveCalls: SummaryChange
  functionCount: SummaryChange
}

export interface ProfileDiff {
  summary: SummaryDiff
  /** One row per function of either run, ordered by file, line (after's when it has one), name. */
  functions: FunctionDiff[]
  matching: FunctionMatching
}

function change(before: number, after: number): Change {
  return { before, after, change: after - before }
}

function summaryChange(before: number, after: number): SummaryChange {
  const percent = before === 0 ? (after === 0 ? 0 : null) : (100 * (after - before)) / before
  return { ...change(before, after), percent }
}

export function computeSummaryDiff(before: Summary, after: Summary): SummaryDiff {
  return {
    totalTime: summaryChange(before.totalTime, after.totalTime),
    totalCalls: summaryChange(before.totalCalls, after.totalCalls),
    primitiveCalls: summaryChange(before.primitiveCalls, after.primitiveCalls),
    functionCount: summaryChange(before.functionCount, after.functionCount),
  }
}

const NONE: Pick<FunctionStats, 'ncalls' | 'primitiveCalls' | 'tottime' | 'cumtime'> = {
  ncalls: 0,
  primitiveCalls: 0,
  tottime: 0,
  cumtime: 0,
}

function functionDiff(
  status: DiffStatus,
  beforeIndex: number | null,
  afterIndex: number | null,
  b: FunctionStats | null,
  a: FunctionStats | null,
): FunctionDiff {
  const ref = (a ?? b)!
  const bs = b ?? NONE
  const as = a ?? NONE
  return {
    status,
    file: ref.file,
    name: ref.name,
    lineBefore: b ? b.line : null,
    lineAfter: a ? a.line : null,
    beforeIndex,
    afterIndex,
    ncalls: change(bs.ncalls, as.ncalls),
    primitiveCalls: change(bs.primitiveCalls, as.primitiveCalls),
    tottime: change(bs.tottime, as.tottime),
    cumtime: change(bs.cumtime, as.cumtime),
  }
}

const compareText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0)

/** Every function of either run with its numbers before and after; see the header for matching. */
export function diffProfiles(before: ProfileDocument, after: ProfileDocument): ProfileDiff {
  const matching = matchFunctions(before, after)
  return buildProfileDiff(before, after, matching, computeDiffOrder(before, after, matching))
}

type Keys = Pick<ProfileDocument, 'functions'>

/**
 * The rows of `diffProfiles` in their order (file, line, name), each as after's function index,
 * or `-1 - index` for a function of before's that is missing from after (`removed`). Apart from
 * `buildProfileDiff` so that the matching and this sort (the slow parts: string comparisons over
 * every function) can run away from the page, on numbers and names only.
 */
export function computeDiffOrder(
  before: Keys,
  after: Keys,
  matching: FunctionMatching,
): Int32Array {
  const removed = matching.afterOf.reduce((n, a) => (a === -1 ? n + 1 : n), 0)
  const order = new Int32Array(after.functions.length + removed)
  after.functions.forEach((_, ai) => (order[ai] = ai))
  let next = after.functions.length
  matching.afterOf.forEach((a, bi) => {
    if (a === -1) order[next++] = -1 - bi
  })
  const fn = (row: number) => (row >= 0 ? after.functions[row]! : before.functions[-1 - row]!)
  return order.sort((x, y) => {
    const a = fn(x)
    const b = fn(y)
    return (
      compareText(a.file, b.file) ||
      a.line - b.line ||
      compareText(a.name, b.name) ||
      // a removed function at the line an added one now holds: before first
      (x < 0 ? 0 : 1) - (y < 0 ? 0 : 1)
    )
  })
}

/** `diffProfiles`' result from its matching and row order (`computeDiffOrder`). */
export function buildProfileDiff(
  before: ProfileDocument,
  after: ProfileDocument,
  matching: FunctionMatching,
  order: Int32Array,
): ProfileDiff {
  return {
    summary: computeSummaryDiff(before.summary, after.summary),
    functions: Array.from(order, (row) => buildFunctionDiff(before, after, matching, row)),
    matching,
  }
}

/** The row of `diffProfiles` for an entry of `computeDiffOrder`. */
export function buildFunctionDiff(
  before: ProfileDocument,
  after: ProfileDocument,
  matching: FunctionMatching,
  row: number,
): FunctionDiff {
  if (row < 0) return functionDiff('removed', -1 - row, null, before.functions[-1 - row]!, null)
  const bi = matching.beforeOf[row]!
  const a = after.functions[row]!
  return bi === -1
    ? functionDiff('added', null, row, null, a)
    : functionDiff(matching.moved[row] ? 'moved' : 'both', bi, row, before.functions[bi]!, a)
}

/**
 * The call trees compared, for the charts: the AFTER run's tree, each node paired with the node
 * at the same call path in the BEFORE run's tree (path steps matched function by function as
 * above, so a moved function still lines up). A node's signed change is its value minus its
 * pair's (`nodeChange`); a node with no pair is new: all of its time is change.
 *
 * Why not a tree whose values are the changes (Firefox's merged profile with negative weights)?
 * The sunburst and icicle size each node by its value, and a negative width cannot be drawn, so
 * the charts keep after's sizes and take the signed change as the colour. Time whose call path
 * disappeared has no node in after's tree: it shows as its parent getting faster.
 * Both trees leave out nodes under their `minFraction`: a node that was just under it before
 * counts as new.
 */
export interface CallTreeDiff {
  /** The after run's tree, as built. */
  tree: CallTree
  before: CallTree
  /** For each node of `tree` that has one, the node at the same path in `before`. */
  beforeNode: Map<CallTreeNode, CallTreeNode>
}

export function diffCallTrees(
  before: CallTree,
  after: CallTree,
  matching: FunctionMatching = matchFunctions(before.graph.doc, after.graph.doc),
): CallTreeDiff {
  const beforeNode = new Map<CallTreeNode, CallTreeNode>()
  beforeNode.set(after.top, before.top)
  const stack: [CallTreeNode, CallTreeNode][] = [[after.top, before.top]]
  while (stack.length > 0) {
    const [a, b] = stack.pop()!
    if (a.children.length === 0 || b.children.length === 0) continue
    // A node has at most one child per function (one per caller → callee edge).
    const byFunc = new Map<number, CallTreeNode>()
    for (const child of b.children) byFunc.set(child.func, child)
    for (const child of a.children) {
      const func = matching.beforeOf[child.func] ?? -1
      const pair = func === -1 ? undefined : byFunc.get(func)
      if (pair) {
        beforeNode.set(child, pair)
        stack.push([child, pair])
      }
    }
  }
  return { tree: after, before, beforeNode }
}

/** The node's value after minus its value before (all of it when the node is new). */
export function nodeChange(diff: CallTreeDiff, node: CallTreeNode): number {
  return node.value - (diff.beforeNode.get(node)?.value ?? 0)
}

/**
 * The change of the node's own time (its value minus its children's: time in the function
 * itself on this path) against its pair's; all of it when the node is new. What the compare
 * charts colour by: a function that got slower changes its own time, its callers only their
 * totals.
 */
export function nodeOwnChange(diff: CallTreeDiff, node: CallTreeNode): number {
  const pair = diff.beforeNode.get(node)
  return selfTime(node) - (pair ? selfTime(pair) : 0)
}

/** A rounded number with its sign: `+2`, `-0.5`, `0`. */
function signed(value: number, digits: number): string {
  const rounded = Number(value.toFixed(digits))
  return rounded > 0 ? `+${rounded}` : String(rounded === 0 ? 0 : rounded)
}

/**
 * The compared tree as indented lines, for tests: `- name after (change)`, `(new)` for a node
 * with no pair in before.
 */
export function formatDiffTree(diff: CallTreeDiff, digits = 3): string[] {
  const { functions } = diff.tree.graph.doc
  const lines: string[] = []
  const visit = (node: CallTreeNode) => {
    const pair = diff.beforeNode.get(node)
    const value = Number(node.value.toFixed(digits))
    const note = pair ? signed(node.value - pair.value, digits) : 'new'
    lines.push(`${'  '.repeat(node.depth - 1)}- ${functions[node.func]!.name} ${value} (${note})`)
    node.children.forEach(visit)
  }
  diff.tree.roots.forEach(visit)
  return lines
}

/**
 * Function rows as lines, for tests:
 * `moved t.py:2→7(a) ncalls 2→1 (-1) tottime 4→2 (-2) cumtime 5→2 (-3)`; a missing side is `–`.
 */
export function formatFunctionDiffs(rows: readonly FunctionDiff[], digits = 3): string[] {
  return rows.map((row) => {
    const line =
      row.status === 'moved'
        ? `${row.lineBefore}→${row.lineAfter}`
        : (row.lineAfter ?? row.lineBefore)
    const side = (present: boolean, value: string) => (present ? value : '–')
    const hasBefore = row.beforeIndex !== null
    const hasAfter = row.afterIndex !== null
    const calls = (c: Change, p: Change, which: 'before' | 'after') =>
      c[which] === p[which] ? String(c[which]) : `${c[which]}/${p[which]}`
    const num = (c: Change, which: 'before' | 'after') => String(Number(c[which].toFixed(digits)))
    const column = (label: string, c: Change, show: (which: 'before' | 'after') => string) =>
      `${label} ${side(hasBefore, show('before'))}→${side(hasAfter, show('after'))} (${signed(c.change, digits)})`
    return [
      row.status,
      `${row.file}:${line}(${row.name})`,
      column('ncalls', row.ncalls, (w) => calls(row.ncalls, row.primitiveCalls, w)),
      column('tottime', row.tottime, (w) => num(row.tottime, w)),
      column('cumtime', row.cumtime, (w) => num(row.cumtime, w)),
    ].join(' ')
  })
}
