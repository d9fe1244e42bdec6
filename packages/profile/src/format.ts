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

/**
 * A label in three parts for a one-line display that gives way from the left (the web app's
 * `FunctionName`): `path` goes first, then `base`, and `rest` last. Joined, they are exactly the
 * label.
 */
export interface LabelParts {
  path: string
  base: string
  rest: string
}

/** A file's directory (with its last `/` or `\\`, for Windows paths) and its base name. */
export function splitPath(file: string): { path: string; base: string } {
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1
  return { path: file.slice(0, cut), base: file.slice(cut) }
}

/**
 * `formatFunctionLabel` in parts: the directory (`/opt/app/`), the file's base name (`fib.py`)
 * and `:7(fib)`, so that the function's name and line are the last to be cut. A built-in's
 * kind (`{built-in method `, `{method `) is its `path`, so that its name outlasts it; other odd
 * labels are all `rest`. The name is never parsed out of the label (names may hold `:`, `(` or
 * slashes); only the file, or a built-in's known prefix, is split off.
 */
export function splitFunctionLabel(fn: Pick<StatRow, 'file' | 'line' | 'name'>): LabelParts {
  const label = formatFunctionLabel(fn)
  const rest = `:${fn.line}(${fn.name})`
  if (label === `${fn.file}${rest}`) return { ...splitPath(fn.file), rest }
  const kind = BUILTIN_KIND.exec(label)?.[0] ?? ''
  return { path: kind, base: '', rest: label.slice(kind.length) }
}

/** The kind that starts a built-in's label: `{built-in method builtins.len}`. */
const BUILTIN_KIND = /^\{(?:built-in )?method (?=[^}])/

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
