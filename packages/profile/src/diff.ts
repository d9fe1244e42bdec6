/**
 * What changed between two profiles of the same program ("did my fix help?"): per function, per
 * summary number, and per call-tree node.
 *
 * Functions are matched by their pstats key `file:line(name)`:
 *   1. the exact key (same file, line and name): `both`;
 *   2. then, among the functions left unmatched on both sides, the same key once memory
 *      addresses are left out of the name (`<built-in method __new__ of type object at 0x7f…>`:
 *      CPython names some functions by a `repr` that holds one): `both`;
 *   3. then the same file and name at another line: `moved` (lines above the function were
 *      edited).
 *   Passes 2 and 3 pair functions only when the pairing is unique on both sides: with two
 *   unmatched `parse` in one file on either side we cannot tell which became which, so they
 *   stay apart;
 *   4. everything else is `removed` (only in before) or `added` (only in after).
 * Names are never matched fuzzily: a renamed function (`parse_rules` → `parse`) shows as one
 * removed and one added function. Guessing renames would pair unrelated functions just as often
 * as it found real ones, and a wrong pairing is worse than an honest add/remove.
 * A function missing from one side counts as zero there (calls and times), so its change is all
 * of its numbers; `status` tells it apart from a function that ran zero times.
 */
import type { CallTree, CallTreeNode } from './call-tree.ts'
import type { FunctionStats, ProfileDocument, Summary } from './pstats.ts'

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

/** Which function of one run is which of the other (see the header). */
export interface FunctionMatching {
  /** For each function of `after`, its match in `before`, or -1. */
  beforeOf: Int32Array
  /** For each function of `before`, its match in `after`, or -1. */
  afterOf: Int32Array
  /** For each function of `after`: 1 when it was matched by file and name only (`moved`). */
  moved: Uint8Array
}

export interface ProfileDiff {
  summary: SummaryDiff
  /** One row per function of either run, ordered by file, line (after's when it has one), name. */
  functions: FunctionDiff[]
  matching: FunctionMatching
}

type Key = Pick<FunctionStats, 'file' | 'line' | 'name'>

// Unambiguous whatever the names hold (they are untrusted and may contain any character): the
// line is digits, and the file's length says where the file ends and the name begins.
const exactKey = (f: Key) => `${f.line}:${f.file.length}:${f.file}${f.name}`
const movedKey = (f: Key) => `${f.file.length}:${f.file}${f.name}`
const ADDRESS = / at 0x[0-9a-f]+/gi
const withoutAddresses = (key: (f: Key) => string) => (f: Key) =>
  key(f.name.includes(' at 0x') ? { ...f, name: f.name.replace(ADDRESS, ' at 0x…') } : f)

export function matchFunctions(
  before: Pick<ProfileDocument, 'functions'>,
  after: Pick<ProfileDocument, 'functions'>,
): FunctionMatching {
  const beforeOf = new Int32Array(after.functions.length).fill(-1)
  const afterOf = new Int32Array(before.functions.length).fill(-1)
  const moved = new Uint8Array(after.functions.length)

  // 1. The exact key. pstats keys are unique within a run; were one repeated, the first wins
  //    and the others are left for the later passes.
  const byKey = new Map<string, number>()
  before.functions.forEach((f, i) => {
    const key = exactKey(f)
    if (!byKey.has(key)) byKey.set(key, i)
  })
  after.functions.forEach((f, a) => {
    const key = exactKey(f)
    const b = byKey.get(key)
    if (b !== undefined && afterOf[b] === -1) {
      beforeOf[a] = b
      afterOf[b] = a
    }
  })

  // 2. The same key but for memory addresses: CPython names some built-ins and code objects by
  //    their `repr`, `<built-in method __new__ of type object at 0x7f508de5ea00>`, and the
  //    address changes from run to run. Unique pairs only, as in 3.
  pairUnique(withoutAddresses(exactKey), false)
  // 3. Same file and name, another line, when exactly one such function is left on each side.
  pairUnique(withoutAddresses(movedKey), true)

  function pairUnique(keyOf: (f: Key) => string, isMove: boolean): void {
    const group = (functions: readonly Key[], matched: Int32Array) => {
      const groups = new Map<string, number | 'ambiguous'>()
      functions.forEach((f, i) => {
        if (matched[i] !== -1) return
        const key = keyOf(f)
        groups.set(key, groups.has(key) ? 'ambiguous' : i)
      })
      return groups
    }
    const leftBefore = group(before.functions, afterOf)
    if (leftBefore.size === 0) return
    for (const [key, a] of group(after.functions, beforeOf)) {
      const b = leftBefore.get(key)
      if (a === 'ambiguous' || b === undefined || b === 'ambiguous') continue
      beforeOf[a] = b
      afterOf[b] = a
      moved[a] = isMove ? 1 : 0
    }
  }
  return { beforeOf, afterOf, moved }
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
  const rows: FunctionDiff[] = []
  after.functions.forEach((a, ai) => {
    const bi = matching.beforeOf[ai]!
    if (bi === -1) rows.push(functionDiff('added', null, ai, null, a))
    else {
      const status = matching.moved[ai] ? 'moved' : 'both'
      rows.push(functionDiff(status, bi, ai, before.functions[bi]!, a))
    }
  })
  before.functions.forEach((b, bi) => {
    if (matching.afterOf[bi] === -1) rows.push(functionDiff('removed', bi, null, b, null))
  })
  rows.sort(
    (x, y) =>
      compareText(x.file, y.file) ||
      (x.lineAfter ?? x.lineBefore!) - (y.lineAfter ?? y.lineBefore!) ||
      compareText(x.name, y.name) ||
      // a removed function at the line an added one now holds: before first
      (x.afterIndex === null ? 0 : 1) - (y.afterIndex === null ? 0 : 1),
  )
  return { summary: computeSummaryDiff(before.summary, after.summary), functions: rows, matching }
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
