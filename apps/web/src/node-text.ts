import {
  formatDuration,
  formatFunctionLabel,
  formatNcalls,
  selfTime,
  WHOLE_PROFILE,
  type CallTreeNode,
  type FunctionStats,
  type ProfileDocument,
} from '@profhub/profile'
import { displayText } from './display-text.ts'

/**
 * What the charts say about a node, as plain strings: React renders them as text, the canvas
 * with fillText (after `displayText`). Shared by the tooltip, the text alternative and the
 * breadcrumb.
 */

export const ALL_FUNCTIONS = 'All functions'

/** The short name drawn on a chart: `fib`, `{built-in method builtins.len}`. */
export function shortLabel(fn: FunctionStats): string {
  return fn.file === '~' && fn.line === 0 ? formatFunctionLabel(fn) : fn.name
}

export function nodeShortLabel(doc: ProfileDocument, node: CallTreeNode): string {
  return node.func === WHOLE_PROFILE ? ALL_FUNCTIONS : shortLabel(doc.functions[node.func]!)
}

/** pstats' `filename:lineno(function)`. */
export function nodeLabel(doc: ProfileDocument, node: CallTreeNode): string {
  return node.func === WHOLE_PROFILE
    ? ALL_FUNCTIONS
    : formatFunctionLabel(doc.functions[node.func]!)
}

/** The node's function, or null for the whole profile. */
export function nodeFunction(doc: ProfileDocument, node: CallTreeNode): FunctionStats | null {
  return node.func === WHOLE_PROFILE ? null : doc.functions[node.func]!
}

export function nodeLocation(doc: ProfileDocument, node: CallTreeNode): string {
  if (node.func === WHOLE_PROFILE) return 'the whole profile'
  const fn = doc.functions[node.func]!
  // C functions: `~` for cProfile, an empty file for the `profile` module.
  const builtin = fn.line === 0 && (fn.file === '~' || fn.file === '')
  return builtin ? 'built-in (no source file)' : `${fn.file}:${fn.line}`
}

export function formatShare(value: number, total: number): string {
  if (total <= 0) return '–'
  const pct = (100 * value) / total
  return `${pct >= 10 || pct === 0 ? pct.toFixed(1) : pct.toPrecision(2)} %`
}

/** Why a value can be trusted, or how it was guessed. */
export function exactnessText(node: CallTreeNode): string {
  if (node.func === WHOLE_PROFILE) return 'exact: the sum of the entry points’ cumulative times'
  if (node.exact) {
    return node.edge
      ? 'exact: pstats’ caller → callee time'
      : 'exact: the function’s cumulative time'
  }
  if (node.edge && node.edge.cumtime === null) {
    return 'estimated: pstats has no stacks, and this profile has call counts only per caller; split by calls'
  }
  return 'estimated: pstats has no stacks; split by the caller’s share of its function’s time'
}

export interface NodeFacts {
  label: string
  /** The node's function, shown as `FunctionName` (name and line always visible); none for the whole profile. */
  fn?: FunctionStats | null
  location: string
  /** Name and value pairs, in order. */
  rows: [string, string][]
  exactness: string
  exact: boolean
}

export function describeNode(doc: ProfileDocument, node: CallTreeNode, total: number): NodeFacts {
  const fn = node.func === WHOLE_PROFILE ? null : doc.functions[node.func]!
  let ncalls = fn ? formatNcalls(fn) : String(doc.summary.totalCalls)
  if (node.edge) ncalls += ` (${node.edge.ncalls} from this caller)`
  return {
    label: nodeLabel(doc, node),
    fn,
    location: nodeLocation(doc, node),
    rows: [
      ['cumtime', formatDuration(node.value)],
      ['tottime', formatDuration(selfTime(node))],
      ['of total', formatShare(node.value, total)],
      ['ncalls', ncalls],
    ],
    exactness: exactnessText(node),
    exact: node.exact,
  }
}

/**
 * A node of the bottom-up tree: its value is the root function's own time that reached it
 * through this chain of callers. Above the first caller it is exact only where each caller's
 * edge is the whole of the function it calls: one recorded caller is not enough, pstats
 * records no caller for some calls (see `buildInvertedTree`).
 */
export function describeInvertedNode(
  doc: ProfileDocument,
  node: CallTreeNode,
  total: number,
): NodeFacts {
  let root = node
  while (root.parent && root.parent.func !== WHOLE_PROFILE) root = root.parent
  const rows: [string, string][] = []
  if (node.func === WHOLE_PROFILE) {
    rows.push(['own time, all functions', formatDuration(node.value)])
  } else if (node === root) {
    rows.push(['tottime', formatDuration(node.value)])
    rows.push(['of all own time', formatShare(node.value, total)])
    rows.push(['ncalls', formatNcalls(doc.functions[node.func]!)])
  } else {
    rows.push([
      `${shortLabel(doc.functions[root.func]!)}’s own time via here`,
      formatDuration(node.value),
    ])
    rows.push(['of all own time', formatShare(node.value, total)])
    if (node.edge) rows.push(['calls (this caller → callee)', String(node.edge.ncalls)])
  }
  let exactness: string
  if (node.func === WHOLE_PROFILE) exactness = 'exact: the sum of every function’s tottime'
  else if (node === root) exactness = 'exact: the function’s tottime'
  else if (node.exact) {
    exactness =
      node.parent === root
        ? 'exact: pstats’ caller → callee tottime'
        : 'exact: pstats’ caller → callee edge holds all of the callee’s calls and time'
  } else {
    exactness =
      'estimated: pstats has no stacks; split among the callers by their share of the time'
  }
  return {
    label: nodeLabel(doc, node),
    fn: nodeFunction(doc, node),
    location: nodeLocation(doc, node),
    rows,
    exactness,
    exact: node.exact,
  }
}

/**
 * One line for screen readers, made safe to show:
 * `main (app.py:3): 1.20 s, 45.0 % of the total, estimated`.
 */
export function summarizeNode(doc: ProfileDocument, node: CallTreeNode, total: number): string {
  const name = displayText(nodeShortLabel(doc, node))
  const where = node.func === WHOLE_PROFILE ? '' : ` (${displayText(nodeLocation(doc, node))})`
  const exact = node.exact ? '' : ', estimated'
  return `${name}${where}: ${formatDuration(node.value)}, ${formatShare(node.value, total)} of the total${exact}`
}
