import {
  diffEdges,
  formatNcalls,
  formatSeconds,
  type CallEdge,
  type EdgeChange,
  type EdgeDiff,
  type FunctionDiff,
  type FunctionStats,
  type ProfileDiff,
  type ProfileDocument,
} from '@profhub/profile'
import type { CompareRow } from '../../compare-rows.ts'
import { formatSignedCount, formatSignedSeconds } from '../../diff-text.ts'
import { compareEdges, functionKey, type ProfileIndex } from '../../profile-index.ts'
import type { FunctionRef } from '../common/FunctionName.tsx'

/**
 * The rows of the callers/callees panel and of the butterfly's wings, for one run or for two
 * compared runs: the same rows, with one number per column or before → after and the change.
 */

export type EdgeSide = 'callers' | 'callees'

/** What a number cell shows: one run's value, or both runs' and the change. */
export type NumberCell =
  | { kind: 'run'; value: string }
  | {
      kind: 'compare'
      /** null: the edge (or function) is not in that run. */
      before: string | null
      after: string | null
      change: string
      /** The change's sign, for its colour (0 for none or unknown). */
      sign: number
    }

export interface NumberCells {
  ncalls: NumberCell
  tottime: NumberCell
  cumtime: NumberCell
}

export interface EdgeRow {
  id: string
  /** The function at the other end, and its key (what a click selects). */
  fn: FunctionRef
  key: string
  /** In compare mode, an edge recorded in one run only. */
  only: 'before' | 'after' | null
  /** Its cumtime's share of the selected function's (after's when comparing): the bar. */
  share: number
  cells: NumberCells
}

/** The compared runs and the selected function's row of the compare table. */
export interface CompareSubject {
  before: ProfileDocument
  after: ProfileDocument
  diff: ProfileDiff
  row: CompareRow
}

function callsText(edge: CallEdge): string {
  // `profile`-module runs record only a call count per edge.
  return edge.primitiveCalls === null
    ? String(edge.ncalls)
    : formatNcalls({ ncalls: edge.ncalls, primitiveCalls: edge.primitiveCalls })
}

const secondsText = (seconds: number | null) => (seconds === null ? '—' : formatSeconds(seconds))
const shareOf = (part: number | null, whole: number) =>
  part === null || whole <= 0 ? 0 : Math.min(1, part / whole)

/** One run: the selected function's edges, heaviest first. */
export function runEdgeRows(
  profile: ProfileDocument,
  index: ProfileIndex,
  selected: number,
  side: EdgeSide,
): EdgeRow[] {
  const whole = profile.functions[selected]?.cumtime ?? 0
  const edges = (side === 'callers' ? index.callers : index.callees)[selected] ?? []
  return edges
    .map((e) => profile.edges[e]!)
    .sort(compareEdges)
    .map((edge) => {
      const fn = profile.functions[side === 'callers' ? edge.caller : edge.callee]!
      return {
        id: `${edge.caller}-${edge.callee}`,
        fn,
        key: functionKey(fn),
        only: null,
        share: shareOf(edge.cumtime, whole),
        cells: {
          ncalls: { kind: 'run', value: callsText(edge) },
          tottime: { kind: 'run', value: secondsText(edge.tottime) },
          cumtime: { kind: 'run', value: secondsText(edge.cumtime) },
        },
      }
    })
}

function timeCell(c: EdgeChange, inBefore: boolean, inAfter: boolean): NumberCell {
  return {
    kind: 'compare',
    before: inBefore ? secondsText(c.before) : null,
    after: inAfter ? secondsText(c.after) : null,
    change: c.change === null ? '—' : formatSignedSeconds(c.change),
    sign: c.change === null || /^0\.0+$/.test(formatSignedSeconds(c.change)) ? 0 : c.change,
  }
}

function compareEdgeRow(subject: CompareSubject, d: EdgeDiff, index: number): EdgeRow {
  const { before, after } = subject
  const fn: FunctionStats =
    d.afterOther !== null ? after.functions[d.afterOther]! : before.functions[d.beforeOther!]!
  return {
    id: `${d.beforeOther ?? '-'}:${d.afterOther ?? '-'}:${index}`,
    fn,
    key: functionKey(fn),
    only: d.status === 'added' ? 'after' : d.status === 'removed' ? 'before' : null,
    // Against the function's time in the run the edge is from (the second run when in both).
    share: d.after
      ? shareOf(d.cumtime.after, subject.row.cumtime.after)
      : shareOf(d.cumtime.before, subject.row.cumtime.before),
    cells: {
      ncalls: {
        kind: 'compare',
        before: d.before ? callsText(d.before) : null,
        after: d.after ? callsText(d.after) : null,
        change: formatSignedCount(d.ncalls.change),
        sign: d.ncalls.change,
      },
      tottime: timeCell(d.tottime, d.before !== null, d.after !== null),
      cumtime: timeCell(d.cumtime, d.before !== null, d.after !== null),
    },
  }
}

/**
 * Both runs: the selected function's edges paired by `diffEdges`. Call once per selection (it
 * reads every edge of both runs) and take both sides from the result.
 */
export function compareEdgeRows(subject: CompareSubject): Record<EdgeSide, EdgeRow[]> {
  const { before, after, diff, row } = subject
  const paired = diffEdges(before, after, diff.matching, row)
  return {
    callers: paired.callers.map((d, i) => compareEdgeRow(subject, d, i)),
    callees: paired.callees.map((d, i) => compareEdgeRow(subject, d, i)),
  }
}

/** The selected function's own numbers in one run. */
export function runFunctionCells(fn: FunctionStats): NumberCells {
  return {
    ncalls: { kind: 'run', value: formatNcalls(fn) },
    tottime: { kind: 'run', value: formatSeconds(fn.tottime) },
    cumtime: { kind: 'run', value: formatSeconds(fn.cumtime) },
  }
}

/** The selected function's own numbers in both runs (a row of the compare table). */
export function compareFunctionCells(row: FunctionDiff): NumberCells {
  const inBefore = row.beforeIndex !== null
  const inAfter = row.afterIndex !== null
  const calls = (which: 'before' | 'after') =>
    formatNcalls({ ncalls: row.ncalls[which], primitiveCalls: row.primitiveCalls[which] })
  return {
    ncalls: {
      kind: 'compare',
      before: inBefore ? calls('before') : null,
      after: inAfter ? calls('after') : null,
      change: formatSignedCount(row.ncalls.change),
      sign: row.ncalls.change,
    },
    tottime: timeCell(row.tottime, inBefore, inAfter),
    cumtime: timeCell(row.cumtime, inBefore, inAfter),
  }
}

/** The compare table's row for a selected key, with both runs and the diff: the panel's subject. */
export function findCompareSubject(
  before: ProfileDocument,
  after: ProfileDocument,
  diff: ProfileDiff,
  rows: readonly CompareRow[],
  key: string | null,
): CompareSubject | null {
  const row = key === null ? undefined : rows.find((r) => r.key === key)
  return row ? { before, after, diff, row } : null
}
