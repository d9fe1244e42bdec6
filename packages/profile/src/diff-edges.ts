/**
 * One function's callers and callees in two runs, paired: "who calls `parse` now, and how did
 * each caller's share change?" for the compare page's callers panel and butterfly.
 *
 * An edge is pstats' caller → callee record (calls, tottime, cumtime). Two edges pair when both
 * their ends are the same function in the two runs, by the function matching of `diffProfiles`
 * (see `diff.ts`'s header): a moved caller (same name, another line) still pairs. An edge of one
 * run with no pair is `added` (only in after) or `removed` (only in before); its missing side
 * counts as zero in the change, as a missing function's does in `diffProfiles`. The selected
 * function itself may exist in one run only: then all of its edges are on that side.
 *
 * Times: the `profile` module records call counts per edge but no times (null). A time change
 * is null when a side that has the edge has no time for it: we cannot tell what changed.
 */
import type { Change } from './diff.ts'
import type { FunctionMatching } from './match-functions.ts'
import type { CallEdge, ProfileDocument } from './pstats.ts'

export type EdgeStatus = 'both' | 'added' | 'removed'

/** A number of an edge before and after; a missing edge is null there and zero in `change`. */
export interface EdgeChange {
  before: number | null
  after: number | null
  change: number | null
}

export interface EdgeDiff {
  status: EdgeStatus
  /** The function at the edge's other end (the caller of a caller edge), index per run or null. */
  beforeOther: number | null
  afterOther: number | null
  before: CallEdge | null
  after: CallEdge | null
  ncalls: Change
  tottime: EdgeChange
  cumtime: EdgeChange
}

export interface EdgesDiff {
  callers: EdgeDiff[]
  callees: EdgeDiff[]
}

/** The selected function in each run (a `FunctionDiff` is one): null where it is missing. */
export interface FunctionPair {
  beforeIndex: number | null
  afterIndex: number | null
}

function timeChange(
  before: CallEdge | null,
  after: CallEdge | null,
  pick: (edge: CallEdge) => number | null,
): EdgeChange {
  const b = before ? pick(before) : null
  const a = after ? pick(after) : null
  const known = (before === null || b !== null) && (after === null || a !== null)
  return { before: b, after: a, change: known ? (a ?? 0) - (b ?? 0) : null }
}

function edgeDiff(
  beforeOther: number | null,
  afterOther: number | null,
  before: CallEdge | null,
  after: CallEdge | null,
): EdgeDiff {
  const ncallsBefore = before?.ncalls ?? 0
  const ncallsAfter = after?.ncalls ?? 0
  return {
    status: before && after ? 'both' : after ? 'added' : 'removed',
    beforeOther,
    afterOther,
    before,
    after,
    ncalls: { before: ncallsBefore, after: ncallsAfter, change: ncallsAfter - ncallsBefore },
    tottime: timeChange(before, after, (e) => e.tottime),
    cumtime: timeChange(before, after, (e) => e.cumtime),
  }
}

/** The larger of the two cumtimes (call counts for `profile`-module runs): the panel's order. */
function weight(d: EdgeDiff): [number, number] {
  const time = Math.max(d.cumtime.before ?? -1, d.cumtime.after ?? -1)
  return [time, Math.max(d.ncalls.before, d.ncalls.after)]
}

function compareEdgeDiffs(x: EdgeDiff, y: EdgeDiff): number {
  const [tx, cx] = weight(x)
  const [ty, cy] = weight(y)
  // Then by index, so the order depends only on the documents.
  return (
    ty - tx ||
    cy - cx ||
    (x.afterOther ?? Infinity) - (y.afterOther ?? Infinity) ||
    (x.beforeOther ?? Infinity) - (y.beforeOther ?? Infinity)
  )
}

/** Edges of `func` in one document: its callers (it is the callee) or its callees. */
function edgesOf(doc: ProfileDocument, func: number | null, side: 'callers' | 'callees') {
  const found = new Map<number, CallEdge>()
  if (func === null) return found
  for (const edge of doc.edges) {
    if (side === 'callers' && edge.callee === func) found.set(edge.caller, edge)
    if (side === 'callees' && edge.caller === func) found.set(edge.callee, edge)
  }
  return found
}

function pairSide(
  before: ProfileDocument,
  after: ProfileDocument,
  matching: FunctionMatching,
  func: FunctionPair,
  side: 'callers' | 'callees',
): EdgeDiff[] {
  const inBefore = edgesOf(before, func.beforeIndex, side)
  const inAfter = edgesOf(after, func.afterIndex, side)
  const rows: EdgeDiff[] = []
  for (const [otherAfter, edge] of inAfter) {
    const otherBefore = matching.beforeOf[otherAfter] ?? -1
    const pair = otherBefore === -1 ? undefined : inBefore.get(otherBefore)
    if (pair) {
      inBefore.delete(otherBefore)
      rows.push(edgeDiff(otherBefore, otherAfter, pair, edge))
    } else {
      rows.push(edgeDiff(otherBefore === -1 ? null : otherBefore, otherAfter, null, edge))
    }
  }
  for (const [otherBefore, edge] of inBefore) {
    const otherAfter = matching.afterOf[otherBefore] ?? -1
    rows.push(edgeDiff(otherBefore, otherAfter === -1 ? null : otherAfter, edge, null))
  }
  return rows.sort(compareEdgeDiffs)
}

/**
 * The callers and callees of one function in both runs, paired through `matching` (from
 * `diffProfiles`), heaviest first (the larger cumtime of the two runs). One pass over each run's
 * edges: call it for the selected function only.
 */
export function diffEdges(
  before: ProfileDocument,
  after: ProfileDocument,
  matching: FunctionMatching,
  func: FunctionPair,
): EdgesDiff {
  return {
    callers: pairSide(before, after, matching, func, 'callers'),
    callees: pairSide(before, after, matching, func, 'callees'),
  }
}

/** A rounded number with its sign, for tests: `+2`, `-0.5`, `0`. */
function signed(value: number, digits: number): string {
  const rounded = Number(value.toFixed(digits))
  return rounded > 0 ? `+${rounded}` : String(rounded === 0 ? 0 : rounded)
}

/**
 * Paired edges as lines, for tests:
 * `both a ncalls 1→2 (+1) tottime 0→0 (0) cumtime 1→2 (+1)`; a missing side is `–`, an unknown
 * time `?`. `a` is the other end's name (after's, else before's).
 */
export function formatEdgeDiffs(
  before: ProfileDocument,
  after: ProfileDocument,
  rows: readonly EdgeDiff[],
  digits = 3,
): string[] {
  const num = (v: number | null, present: boolean) =>
    !present ? '–' : v === null ? '?' : String(Number(v.toFixed(digits)))
  return rows.map((row) => {
    const name =
      row.afterOther !== null
        ? after.functions[row.afterOther]!.name
        : before.functions[row.beforeOther!]!.name
    const column = (label: string, c: EdgeChange) =>
      `${label} ${num(c.before, row.before !== null)}→${num(c.after, row.after !== null)} (${
        c.change === null ? '?' : signed(c.change, digits)
      })`
    return [
      row.status,
      name,
      column('ncalls', row.ncalls),
      column('tottime', row.tottime),
      column('cumtime', row.cumtime),
    ].join(' ')
  })
}
