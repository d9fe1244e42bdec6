/**
 * One function across the runs of a series (runs that share a label value): what identifies
 * it in every run, and when its own time changed.
 *
 * Identity. Runs of a series come from the same program, often from different folders (a
 * laptop, CI jobs, virtualenvs), so a function is known by its path below a root, as compare
 * matches them (`diff.ts`), but per run rather than per pair, so that it can be stored at
 * upload and looked up across hundreds of runs:
 *   - below site-packages / dist-packages: `["site-packages", "requests/api.py", name]`;
 *   - below the standard library's `lib/pythonX.Y/`, whatever X.Y: `["stdlib", "json/decoder.py", name]`;
 *   - below the run's project root: `["project", "app/x.py", name]`. The root is the deepest
 *     folder that holds at least 90 % of the run's other absolute paths (`seriesProjectRoot`);
 *   - anything else (`~` for built-ins, `<frozen …>`, relative paths) as it is: `["path", file, name]`.
 * Memory addresses are left out of names (`<built-in method __new__ of type object at 0x7f…>`).
 * The line is not part of the key: it changes whenever lines above the function are edited.
 * A run that has one function for a key is matched by it whatever its line; where a run has
 * several (two `__init__` in one module), the line picks one.
 *
 * Changes. A point is flagged when its own time leaves the band of the runs before it (up to
 * BAND_RUNS of them that have the function, at least MIN_BAND_RUNS): the band is the median ±
 * max(3 × 1.4826 × MAD, 10 % of the median, 0.5 % of the runs' median total). The same test is
 * applied to the function's share of its run's total time, and a point is flagged only when both
 * leave their bands in the same direction: a run that was slower as a whole (a busy CI machine)
 * moves every function's time but no function's share, and is not a regression of each of them.
 */

import { parseRootedPath } from './path-roots.ts'

export const BAND_RUNS = 10
export const MIN_BAND_RUNS = 5
/** How many of a series' latest runs `/api/series/changes` looks for changes in. */
export const CHANGE_SCAN_RUNS = 20
const MAD_FACTOR = 3 * 1.4826
const RELATIVE_FLOOR = 0.1
const TOTAL_FLOOR = 0.005

const ADDRESS = / at 0x[0-9a-f]+/gi

const slashes = (file: string) => (file.includes('\\') ? file.replace(/\\/g, '/') : file)
const isAbsolute = (path: string) => path.startsWith('/') || /^[A-Za-z]:\//.test(path)

/**
 * The run's project root: the deepest folder (ending in `/`) that holds at least 90 % of its
 * absolute paths outside site-packages and the standard library; '' when there is none
 * deeper than the file system's root.
 */
export function seriesProjectRoot(files: Iterable<string>): string {
  const counts = new Map<string, number>()
  let total = 0
  for (const file of new Set(files)) {
    const path = slashes(file)
    if (!isAbsolute(path) || parseRootedPath(path) !== null) continue
    total += 1
    // Every folder above the file: /a/, /a/b/, …
    for (let at = path.indexOf('/', 1); at !== -1; at = path.indexOf('/', at + 1)) {
      const folder = path.slice(0, at + 1)
      counts.set(folder, (counts.get(folder) ?? 0) + 1)
    }
  }
  let root = ''
  for (const [folder, count] of counts) {
    if (count >= 0.9 * total && folder.length > root.length) root = folder
  }
  return root
}

/** The function's key in a series (see the top of this file): a JSON array as text. */
export function seriesKeyOf(file: string, name: string, projectRoot: string): string {
  return keyWith(seriesFileKey(file, projectRoot), name)
}

/** The start of the keys of a file's functions: `["project","app/x.py"` (the same for each). */
function seriesFileKey(file: string, projectRoot: string): string {
  const path = slashes(file)
  // Compare's roots (path-roots.ts), the version left out: any Python's standard library.
  const rooted = parseRootedPath(path)
  const [root, rest] =
    rooted !== null
      ? [rooted.root, rooted.rest]
      : projectRoot !== '' && path.startsWith(projectRoot)
        ? ['project', path.slice(projectRoot.length)]
        : ['path', file]
  return `[${JSON.stringify(root)},${JSON.stringify(rest)}`
}

/** `JSON.stringify([root, rest, name])`, the file's part worked out once per file. */
function keyWith(fileKey: string, name: string): string {
  const bareName = name.includes(' at 0x') ? name.replace(ADDRESS, '') : name
  return `${fileKey},${JSON.stringify(bareName)}]`
}

/** A run's functions as a series stores them: one row per (key, line), in columns. */
export interface SeriesFunctions {
  root: string
  keys: string[]
  line: number[]
  ncalls: number[]
  primitiveCalls: number[]
  tottime: number[]
  cumtime: number[]
}

export interface SeriesFunctionInput {
  file: string
  line: number
  name: string
  ncalls: number
  primitiveCalls: number
  tottime: number
  cumtime: number
}

/**
 * The rows a run adds to its series. Functions that end up with the same key and line (names
 * that differed only by a memory address) are one row, their numbers added.
 */
export function seriesFunctionsOf(functions: readonly SeriesFunctionInput[]): SeriesFunctions {
  const root = seriesProjectRoot(functions.map((f) => f.file))
  const rows: SeriesFunctions = {
    root,
    keys: [],
    line: [],
    ncalls: [],
    primitiveCalls: [],
    tottime: [],
    cumtime: [],
  }
  const rowOf = new Map<string, number>()
  const fileKeys = new Map<string, string>()
  for (const f of functions) {
    let fileKey = fileKeys.get(f.file)
    if (fileKey === undefined) {
      fileKey = seriesFileKey(f.file, root)
      fileKeys.set(f.file, fileKey)
    }
    const key = keyWith(fileKey, f.name)
    const id = `${f.line}:${key}`
    const at = rowOf.get(id)
    if (at === undefined) {
      rowOf.set(id, rows.keys.length)
      rows.keys.push(key)
      rows.line.push(f.line)
      rows.ncalls.push(f.ncalls)
      rows.primitiveCalls.push(f.primitiveCalls)
      rows.tottime.push(f.tottime)
      rows.cumtime.push(f.cumtime)
    } else {
      rows.ncalls[at]! += f.ncalls
      rows.primitiveCalls[at]! += f.primitiveCalls
      rows.tottime[at]! += f.tottime
      rows.cumtime[at]! += f.cumtime
    }
  }
  return rows
}

/** One stored row: a function (by key and line) in one run. */
export interface SeriesRow {
  key: string
  line: number
  ncalls: number
  primitiveCalls: number
  tottime: number
  cumtime: number
}

/**
 * The row that is the function `line` of `key` in one run's rows for that key: the row at
 * that line, else the only row of the key (the function moved), else none (ambiguous).
 */
export function pickSeriesRow<T extends { line: number }>(
  rows: readonly T[],
  line: number,
): T | null {
  return rows.find((row) => row.line === line) ?? (rows.length === 1 ? rows[0]! : null)
}

export type SeriesFlag = 'slower' | 'faster' | null

export interface FlaggedPoint {
  flag: SeriesFlag
  /** The band's middle (the median of the runs before), or null with too few of them. */
  baseline: number | null
}

/** The middle of `values` (the mean of the two middle ones for an even count). */
export const median = (values: readonly number[]) => {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** -1, 0 or 1: below, inside or above the band of `history`; `floor`: the band's least half-width. */
function leaves(history: readonly number[], value: number, floor: number): [number, number] {
  const middle = median(history)
  const mad = median(history.map((v) => Math.abs(v - middle)))
  const half = Math.max(MAD_FACTOR * mad, RELATIVE_FLOOR * Math.abs(middle), floor)
  return [value > middle + half ? 1 : value < middle - half ? -1 : 0, middle]
}

/**
 * Flags each point of one function's own times in series order. `values[i]` is null where the
 * run has no such function (such points are never flagged and never part of a band);
 * `totals[i]` is run i's total time. With `share: false` the share of the run's total is not
 * looked at (for cumulative times, which are close to the total for the functions near the
 * root: their share cannot move).
 */
export function flagSeries(
  values: readonly (number | null)[],
  totals: readonly number[],
  { share = true }: { share?: boolean } = {},
): FlaggedPoint[] {
  const result: FlaggedPoint[] = []
  const seen: number[] = []
  for (let i = 0; i < values.length; i++) {
    const value = values[i]
    if (value === null || value === undefined) {
      result.push({ flag: null, baseline: null })
      continue
    }
    const band = seen.slice(-BAND_RUNS)
    seen.push(i)
    if (band.length < MIN_BAND_RUNS) {
      result.push({ flag: null, baseline: null })
      continue
    }
    const bandTotals = band.map((j) => totals[j]!)
    const floor = TOTAL_FLOOR * median(bandTotals)
    const [side, baseline] = leaves(
      band.map((j) => values[j]!),
      value,
      floor,
    )
    const shareOf = (j: number) => (totals[j]! > 0 ? values[j]! / totals[j]! : 0)
    const [shareSide] = share ? leaves(band.map(shareOf), shareOf(i), 0) : [side]
    const flag = side !== 0 && side === shareSide ? (side > 0 ? 'slower' : 'faster') : null
    result.push({ flag, baseline })
  }
  return result
}

/**
 * The most recent change point among the last `scan` points: the first flagged point of the
 * latest streak of points flagged in one direction (a step up flags the points after it too,
 * until the band has moved). One noisy run inside the streak (unflagged, yet on the streak's
 * side of its band's middle) does not end it. Null when none of them is flagged.
 */
export function latestChange(
  points: readonly FlaggedPoint[],
  values: readonly (number | null)[],
  scan: number,
): number | null {
  const from = Math.max(0, points.length - scan)
  for (let i = points.length - 1; i >= from; i--) {
    const flag = points[i]!.flag
    if (flag === null) continue
    const sameSide = (j: number) => {
      const { baseline } = points[j]!
      const value = values[j]
      if (baseline === null || value === null || value === undefined) return false
      return flag === 'slower' ? value > baseline : value < baseline
    }
    let start = i
    for (let j = i - 1; j >= from; j--) {
      const earlier = points[j]!
      if (earlier.flag === flag) start = j
      else if (earlier.flag === null && earlier.baseline === null)
        continue // absent
      else if (earlier.flag === null && sameSide(j) && j > from && points[j - 1]!.flag === flag)
        continue // one noisy run between two flagged ones
      else break
    }
    return start
  }
  return null
}
