import type { CallTree, CallTreeNode } from './call-tree.ts'
import type { StatRow } from './stats.ts'

/** pstats' `ncalls` column: `12/3` when recursion makes total and primitive calls differ. */
export function formatNcalls(row: Pick<StatRow, 'ncalls' | 'primitiveCalls'>): string {
  return row.ncalls === row.primitiveCalls
    ? String(row.ncalls)
    : `${row.ncalls}/${row.primitiveCalls}`
}

/** pstats' first `percall`: tottime / ncalls (total calls). */
export function tottimePerCall(row: Pick<StatRow, 'ncalls' | 'tottime'>): number | null {
  return row.ncalls === 0 ? null : row.tottime / row.ncalls
}

/** pstats' second `percall`: cumtime / primitive calls, as `print_line` computes it. */
export function cumtimePerCall(row: Pick<StatRow, 'primitiveCalls' | 'cumtime'>): number | null {
  return row.primitiveCalls === 0 ? null : row.cumtime / row.primitiveCalls
}

/** Seconds the way pstats prints them (`%8.3f`), without the padding. */
export function formatSeconds(seconds: number | null): string {
  return seconds === null ? '' : seconds.toFixed(3)
}

/** pstats' `filename:lineno(function)`; built-ins (`~`, line 0) print as `{name}`. */
export function formatFunctionLabel(row: Pick<StatRow, 'file' | 'line' | 'name'>): string {
  if (row.file === '~' && row.line === 0) {
    return row.name.startsWith('<') && row.name.endsWith('>')
      ? `{${row.name.slice(1, -1)}}`
      : row.name
  }
  return `${row.file}:${row.line}(${row.name})`
}

/** A duration for people: `1.23 s`, `45.6 ms`, `789 µs`. */
export function formatDuration(seconds: number): string {
  if (seconds >= 1) return `${seconds.toFixed(seconds >= 100 ? 0 : 2)} s`
  if (seconds >= 1e-3) return `${(seconds * 1e3).toFixed(1)} ms`
  if (seconds > 0) return `${Math.round(seconds * 1e6)} µs`
  return '0 s'
}

/**
 * A call tree as indented lines, for tests: `- name value` with `≈` before estimated values.
 * Values are rounded to `digits` decimals so float noise does not reach snapshots.
 */
export function formatTree(tree: CallTree, digits = 3): string[] {
  const { functions } = tree.graph.doc
  const lines: string[] = []
  const visit = (node: CallTreeNode) => {
    const value = Number(node.value.toFixed(digits))
    const name = functions[node.func]!.name
    lines.push(`${'  '.repeat(node.depth - 1)}- ${name} ${node.exact ? '' : '≈'}${value}`)
    node.children.forEach(visit)
  }
  tree.roots.forEach(visit)
  return lines
}
