/**
 * A converted profile in memory: one object per function and per call edge, as pstats has them.
 * On disk and on the wire it travels as columns (`document.ts`); `readProfileDocument` turns
 * any stored version into this.
 *
 * Everything here comes from an uploaded file: names and paths are untrusted text.
 */

/**
 * What produced the file. `sampled` is CPython 3.15's sampling profiler (a `("__sampled__",)`
 * marker key, counts are samples); `pstats` when nothing tells the producer apart.
 */
export type SourceFormat = 'cProfile' | 'profile' | 'yappi' | 'merged' | 'sampled' | 'pstats'

export interface Summary {
  /** pstats `total_tt`: the sum of every function's own time, in seconds. */
  totalTime: number
  /** pstats `total_calls`: the sum of `ncalls`. */
  totalCalls: number
  /** pstats `prim_calls`: the sum of `primitiveCalls`. */
  primitiveCalls: number
  /** Number of entries in the stats dict (the `("__sampled__",)` marker is not one). */
  functionCount: number
}

/** One pstats entry: the key `(file, line, name)` and its stats tuple, as pstats reads them. */
export interface FunctionStats {
  file: string
  line: number
  name: string
  /** Total calls (`nc`, what pstats prints first in `12/3`). */
  ncalls: number
  /** Primitive, non-recursive calls (`cc`, printed after the slash when it differs). */
  primitiveCalls: number
  /** Time spent in the function itself, seconds. */
  tottime: number
  /** Time spent in the function and everything it called, seconds. */
  cumtime: number
}

/**
 * One callers-dict entry: `caller` called `callee` (both indices into `functions`).
 * cProfile records `(nc, cc, tt, ct)` per edge; the `profile` module records only a call
 * count, so the other three are null there.
 */
export interface CallEdge {
  caller: number
  callee: number
  ncalls: number
  primitiveCalls: number | null
  tottime: number | null
  cumtime: number | null
}

export interface ProfileDocument {
  sourceFormat: SourceFormat
  /** "3.11" when the file's paths or code objects tell, else null. */
  pythonVersion: string | null
  summary: Summary
  /** Sorted by (file, line, name) so that conversion is deterministic. */
  functions: FunctionStats[]
  /** Sorted by (callee, caller). */
  edges: CallEdge[]
}
