import type { FunctionStats } from '@profhub/profile'

/**
 * A run's memory document (`GET /api/runs/:id/memory`, written by `profhub.py run --memory`):
 * what tracemalloc said at the end of the run. Sizes are bytes still held at the end (the lines'
 * `size`), the peak is a total only. The server checked the document; its text is untrusted.
 */
export interface MemoryLine {
  file: string
  line: number
  size: number
  count: number
}

export interface MemoryDocument {
  formatVersion: 1
  tool?: string
  peakBytes: number
  finalBytes: number
  tracebackLimit?: number
  overheadNote?: string
  lines: MemoryLine[]
}

/** The lines of one function, or of a file's code outside any profiled function. */
export interface FunctionMemory {
  /** The function's index in the profile, or null: no profiled `def` encloses these lines. */
  index: number | null
  file: string
  /** The `def` line (the function's line in pstats), or 0 outside any function. */
  line: number
  name: string
  size: number
  count: number
  /** How many of the document's lines went to it. */
  lineCount: number
}

/** The name given to lines of a file that no profiled function encloses. */
export const OUTSIDE_FUNCTIONS = '(outside profiled functions)'

interface Def {
  line: number
  index: number
}

/** Each file's profiled functions by `def` line, ascending (binary search below). */
function defsByFile(functions: readonly FunctionStats[]): Map<string, Def[]> {
  const byFile = new Map<string, Def[]>()
  functions.forEach((fn, index) => {
    // Built-ins (`~`, line 0) have no source lines.
    if (fn.line <= 0) return
    let defs = byFile.get(fn.file)
    if (!defs) byFile.set(fn.file, (defs = []))
    defs.push({ line: fn.line, index })
  })
  // On a tie (a lambda and a genexpr on one line) the first function in the profile's order wins.
  for (const defs of byFile.values()) defs.sort((a, b) => a.line - b.line || a.index - b.index)
  return byFile
}

/** The function whose `def` is the last at or before `line`, or null. */
function enclosingDef(defs: readonly Def[] | undefined, line: number): Def | null {
  if (!defs) return null
  // The last def at or before the line…
  let lo = 0
  let hi = defs.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (defs[mid]!.line <= line) lo = mid + 1
    else hi = mid
  }
  let i = lo - 1
  if (i < 0) return null
  // …and of several on that line, the first.
  while (i > 0 && defs[i - 1]!.line === defs[i]!.line) i--
  return defs[i]!
}

/**
 * The memory lines grouped "by enclosing def": a line belongs to the profiled function of the
 * same file with the largest `def` line at or before it. An approximation, said on the page: a
 * module's top-level code after a function's end is counted in that function, and a function
 * the profiler never saw (never called) lends its lines to the one above it. Largest first.
 */
export function groupMemoryByFunction(
  lines: readonly MemoryLine[],
  functions: readonly FunctionStats[],
): FunctionMemory[] {
  const defs = defsByFile(functions)
  const groups = new Map<string, FunctionMemory>()
  for (const entry of lines) {
    const def = enclosingDef(defs.get(entry.file), entry.line)
    const key = def === null ? `\0${entry.file}` : String(def.index)
    let group = groups.get(key)
    if (!group) {
      const fn = def === null ? null : functions[def.index]!
      group = {
        index: def?.index ?? null,
        file: entry.file,
        line: fn?.line ?? 0,
        name: fn?.name ?? OUTSIDE_FUNCTIONS,
        size: 0,
        count: 0,
        lineCount: 0,
      }
      groups.set(key, group)
    }
    group.size += entry.size
    group.count += entry.count
    group.lineCount++
  }
  return [...groups.values()].sort(
    (a, b) =>
      b.size - a.size ||
      compareText(a.file, b.file) ||
      a.line - b.line ||
      compareText(a.name, b.name),
  )
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Lines largest first (ties by file and line), as the Memory tab lists them. */
export function sortMemoryLines(lines: readonly MemoryLine[]): MemoryLine[] {
  return [...lines].sort(
    (a, b) => b.size - a.size || compareText(a.file, b.file) || a.line - b.line,
  )
}

/** One file's lines: line number → its size and count (the source view's memory column). */
export function memoryByLine(
  lines: readonly MemoryLine[],
  file: string,
): Map<number, { size: number; count: number }> {
  const byLine = new Map<number, { size: number; count: number }>()
  for (const entry of lines) {
    if (entry.file !== file) continue
    const known = byLine.get(entry.line)
    // The document has one entry per line; should a line repeat, its sizes add up.
    if (known) {
      known.size += entry.size
      known.count += entry.count
    } else {
      byLine.set(entry.line, { size: entry.size, count: entry.count })
    }
  }
  return byLine
}

export interface LineChange {
  file: string
  line: number
  before: number
  after: number
  change: number
}

/**
 * The lines whose held size changed most between two runs (either sign), at most `limit`. A
 * line missing from one run's document held nothing there that made its top list: 0.
 */
export function computeLineChanges(
  before: readonly MemoryLine[],
  after: readonly MemoryLine[],
  limit = 10,
): LineChange[] {
  const changes = new Map<string, LineChange>()
  const add = (entry: MemoryLine, side: 'before' | 'after') => {
    const key = `${entry.line}:${entry.file}`
    let change = changes.get(key)
    if (!change) {
      change = { file: entry.file, line: entry.line, before: 0, after: 0, change: 0 }
      changes.set(key, change)
    }
    change[side] += entry.size
  }
  for (const entry of before) add(entry, 'before')
  for (const entry of after) add(entry, 'after')
  const rows = [...changes.values()]
  for (const row of rows) row.change = row.after - row.before
  return rows
    .filter((row) => row.change !== 0)
    .sort(
      (a, b) =>
        Math.abs(b.change) - Math.abs(a.change) || compareText(a.file, b.file) || a.line - b.line,
    )
    .slice(0, limit)
}
