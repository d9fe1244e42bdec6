import type {
  Run,
  Series,
  SeriesCaller,
  SeriesChange,
  SeriesChanges,
  SeriesFunction,
  SeriesOrder,
} from '@profhub/api'
import {
  BAND_RUNS,
  CHANGE_SCAN_RUNS,
  flagSeries,
  latestChange,
  median,
  pickSeriesRow,
  seriesKeyOf,
  type FlaggedPoint,
} from '@profhub/profile'
import type { SeriesColumns, RunStore } from '../runs/run-store.ts'

/** A function as one run names it. */
export interface FunctionRef {
  file: string
  line: number
  name: string
}

/**
 * For each target (as run `runId` names it), every function that calls it directly or through
 * others in that run; null if the run is gone.
 */
export type AncestorsOf = (runId: string, targets: FunctionRef[]) => Promise<FunctionRef[][] | null>

/** The label a series is made of. */
export interface SeriesLabel {
  key: string
  value: string
}

/** The most changes `/api/series/changes` answers. */
export const MAX_CHANGES = 100
/** How many series' changes are kept: each is at most MAX_CHANGES entries. */
const CHANGES_KEPT = 32

type SeriesEntry = { run: Run; root: string }

/**
 * A function across the runs of a window: its key id, or `keyId\nline` where a run has
 * several functions of that key (which one is which is then told by the line).
 */
type Identity = number | string

interface OrderedSeries {
  order: SeriesOrder
  runs: SeriesEntry[]
  truncated: boolean
}

/** What a change at run `at` of the window is judged against. */
interface ChangeContext {
  series: Map<Identity, FunctionValues>
  totals: number[]
  floor: number
  entry: SeriesEntry
  at: number
}

/**
 * The answers of /api/series: a series' runs in order, one function's numbers across them, and
 * the functions whose own time changed lately (see `@profhub/profile`'s series.ts for how a
 * function is matched across runs and when a point is flagged).
 */
export class SeriesQueries {
  readonly #store: RunStore
  readonly #ancestorsOf: AncestorsOf
  /** Recent answers of `changes` (at most CHANGES_KEPT, least recently used out), by window. */
  readonly #changesCache = new Map<string, SeriesChange[]>()

  constructor(store: RunStore, ancestorsOf: AncestorsOf) {
    this.#store = store
    this.#ancestorsOf = ancestorsOf
  }

  async series(label: SeriesLabel, limit: number): Promise<Series> {
    const { order, runs, truncated } = await this.#ordered(label, limit)
    return { label, order, runs: runs.map(({ run }) => run), truncated }
  }

  async function(label: SeriesLabel, fn: FunctionRef, limit: number): Promise<SeriesFunction> {
    const { order, runs, truncated } = await this.#ordered(label, limit)
    // The file is named as one of the series' runs names it: that run's root gives its key.
    const root = runs.find(({ root }) => root !== '' && slashes(fn.file).startsWith(root))?.root
    const key = seriesKeyOf(fn.file, fn.name, root ?? '')
    const ids = runs.map(({ run }) => run.id)
    const rows = await this.#store.readSeriesRows(ids, [key])
    const picked = runs.map(({ run }) => {
      const columns = rows.get(run.id)
      return columns === undefined ? null : pickRow(columns, fn.line)
    })
    const totals = runs.map(({ run }) => run.summary.totalTime)
    const flags = flagSeries(
      picked.map((row) => row?.tottime ?? null),
      totals,
    )
    const points = runs.map(({ run }, i) => {
      const row = picked[i]
      return {
        runId: run.id,
        createdAt: run.createdAt,
        labels: run.labels,
        name: run.name,
        note: run.note,
        runTotal: run.summary.totalTime,
        found: row !== null,
        line: row?.line ?? null,
        ncalls: row?.ncalls ?? 0,
        primitiveCalls: row?.primitiveCalls ?? 0,
        tottime: row?.tottime ?? 0,
        cumtime: row?.cumtime ?? 0,
        flag: flags[i]!.flag,
        baseline: flags[i]!.baseline,
      }
    })
    return { label, order, function: fn, points, truncated }
  }

  async changes(label: SeriesLabel, limit: number): Promise<SeriesChanges> {
    const { order, runs, truncated } = await this.#ordered(label, limit)
    // The scanned runs, and the runs before them that make their bands.
    const window = runs.slice(-(CHANGE_SCAN_RUNS + BAND_RUNS))
    const scanned = Math.min(CHANGE_SCAN_RUNS, window.length)
    // The answer depends only on the window's runs (their rows never change) and the names
    // it repeats; a run not indexed yet (root '', see the backfill) may still gain rows.
    const cacheKey = window.every(({ root }) => root !== '')
      ? JSON.stringify(window.map(({ run }) => [run.id, run.name]))
      : null
    const cached = cacheKey === null ? undefined : this.#changesCache.get(cacheKey)
    if (cached !== undefined) {
      this.#changesCache.delete(cacheKey!)
      this.#changesCache.set(cacheKey!, cached)
      return { label, order, runCount: runs.length, scanned, changes: cached, truncated }
    }
    const changes = await this.#findChanges(window, scanned)
    if (cacheKey !== null) {
      this.#changesCache.set(cacheKey, changes)
      if (this.#changesCache.size > CHANGES_KEPT) {
        this.#changesCache.delete(this.#changesCache.keys().next().value!)
      }
    }
    return { label, order, runCount: runs.length, scanned, changes, truncated }
  }

  async #findChanges(window: SeriesEntry[], scanned: number): Promise<SeriesChange[]> {
    const rows = await this.#store.readSeriesRows(
      window.map(({ run }) => run.id),
      null,
    )

    const totals = window.map(({ run }) => run.summary.totalTime)
    const series = functionSeries(window.map(({ run }) => rows.get(run.id) ?? null))
    const floor = 0.005 * median(totals)

    // Own time first: each function's latest change point.
    const found: { identity: Identity; at: number; flags: FlaggedPoint[] }[] = []
    for (const [identity, values] of series) {
      if (!mayChange(values.tottime, floor)) continue
      const flags = flagSeries(values.tottime, totals)
      const at = latestChange(flags, values.tottime, scanned)
      if (at !== null) found.push({ identity, at, flags })
    }
    found.sort(
      (a, b) =>
        Math.abs(changeOf(series, b)) - Math.abs(changeOf(series, a)) ||
        compareText(String(a.identity), String(b.identity)),
    )
    const kept = found.slice(0, MAX_CHANGES)

    const changes: SeriesChange[] = []
    for (const [at, group] of groupBy(kept, (entry) => entry.at)) {
      const { run } = window[at]!
      const previous = at > 0 ? window[at - 1]!.run : null
      const named = await this.#namesAt(
        window[at]!,
        group.map((entry) => entry.identity),
      )
      const callersOf = await this.#callersThrough(
        { series, totals, floor, entry: window[at]!, at },
        group,
        named,
      )
      for (const entry of group) {
        const values = series.get(entry.identity)!
        const ref = named.get(entry.identity)
        if (ref === undefined) continue
        const before = entry.flags[at]!.baseline!
        const after = values.tottime[at]!
        changes.push({
          ...ref,
          direction: entry.flags[at]!.flag!,
          runId: run.id,
          createdAt: run.createdAt,
          labels: run.labels,
          runName: run.name,
          previousRunId: previous?.id ?? null,
          tottime: {
            before,
            after,
            change: after - before,
            percent: before === 0 ? null : ((after - before) / before) * 100,
          },
          cumtime: { before: bandMiddle(values.cumtime, at), after: values.cumtime[at] ?? 0 },
          ncalls: { before: bandMiddle(values.ncalls, at), after: values.ncalls[at] ?? 0 },
          runTotal: { before: bandMiddle(totals, at), after: totals[at]! },
          callers: callersOf.get(entry.identity) ?? [],
        })
      }
    }
    changes.sort((a, b) => Math.abs(b.tottime.change) - Math.abs(a.tottime.change))
    return changes
  }

  /**
   * The functions whose cumulative time changed at `at` in the same direction as one of
   * `group`'s own times while their own time did not, and that call it: its callers.
   */
  async #callersThrough(
    { series, totals, floor, entry: seriesEntry, at }: ChangeContext,
    group: { identity: Identity; flags: FlaggedPoint[] }[],
    named: Map<Identity, FunctionRef>,
  ): Promise<Map<Identity, SeriesCaller[]>> {
    const result = new Map<Identity, SeriesCaller[]>()
    const own = new Set(group.map((entry) => entry.identity))
    const candidates: { identity: Identity; flag: 'slower' | 'faster' }[] = []
    for (const [identity, values] of series) {
      if (own.has(identity) || values.cumtime[at] === null) continue
      if (!mayChange(values.cumtime, floor)) continue
      const flag = flagSeries(values.cumtime, totals, { share: false })[at]!.flag
      if (flag !== null) candidates.push({ identity, flag })
    }
    if (candidates.length === 0) return result
    const runId = seriesEntry.run.id
    const targets = group.flatMap((entry) => {
      const ref = named.get(entry.identity)
      return ref === undefined ? [] : [{ entry, ref }]
    })
    const ancestors = await this.#ancestorsOf(
      runId,
      targets.map(({ ref }) => ref),
    )
    if (ancestors === null) return result
    const candidateNames = await this.#namesAt(
      seriesEntry,
      candidates.map((c) => c.identity),
    )
    targets.forEach(({ entry }, index) => {
      const direction = entry.flags[at]!.flag
      const above = new Set(ancestors[index]!.map(refText))
      const callers: SeriesCaller[] = []
      for (const candidate of candidates) {
        const ref = candidateNames.get(candidate.identity)
        if (candidate.flag !== direction || ref === undefined || !above.has(refText(ref))) continue
        const values = series.get(candidate.identity)!
        callers.push({
          ...ref,
          cumtime: { before: bandMiddle(values.cumtime, at), after: values.cumtime[at] ?? 0 },
          tottime: { before: bandMiddle(values.tottime, at), after: values.tottime[at] ?? 0 },
        })
      }
      callers.sort((a, b) => b.cumtime.after - a.cumtime.after)
      result.set(entry.identity, callers)
    })
    return result
  }

  /** The function each identity (of `functionSeries`) is in the run, as the run names it. */
  async #namesAt(
    { run, root }: SeriesEntry,
    identities: Identity[],
  ): Promise<Map<Identity, FunctionRef>> {
    const parts = identities.map((identity) =>
      typeof identity === 'number'
        ? { identity, keyId: identity, line: null }
        : { identity, keyId: Number(identity.split('\n')[0]), line: identity.split('\n')[1]! },
    )
    const keyTexts = await this.#store.readSeriesKeys([...new Set(parts.map((p) => p.keyId))])
    // Identity by key text (`key`, or `key` and line) → identity by key id.
    const wanted = new Map<string, Identity>()
    for (const { identity, keyId, line } of parts) {
      const text = keyTexts.get(keyId)
      if (text !== undefined) wanted.set(line === null ? text : `${text}\n${line}`, identity)
    }
    const names = new Map<Identity, FunctionRef>()
    const table = await this.#store.readStatsTable(run.id)
    if (table === null) return names
    for (let i = 0; i < table.rowCount; i++) {
      const row = table.row(i)
      const key = seriesKeyOf(row.file, row.name, root)
      for (const text of [key, `${key}\n${row.line}`]) {
        const identity = wanted.get(text)
        if (identity !== undefined && !names.has(identity)) {
          names.set(identity, { file: row.file, line: row.line, name: row.name })
        }
      }
    }
    return names
  }

  async #ordered(label: SeriesLabel, limit: number): Promise<OrderedSeries> {
    const { runs, truncated } = await this.#store.listSeries([label.key, label.value], limit)
    const times = runs.map(({ run }) => Date.parse(run.labels['commit-time'] ?? ''))
    const byCommit = runs.length > 0 && times.every((time) => Number.isFinite(time))
    const ordered = byCommit
      ? runs
          .map((entry, i) => ({ entry, time: times[i]!, i }))
          .sort((a, b) => a.time - b.time || a.i - b.i)
          .map(({ entry }) => entry)
      : runs
    return { order: byCommit ? 'commit-time' : 'created', runs: ordered, truncated }
  }
}

/** One function's numbers in each run of a window (null: absent from that run). */
interface FunctionValues {
  tottime: (number | null)[]
  cumtime: (number | null)[]
  ncalls: (number | null)[]
}

/**
 * Each function of the window by identity: its key id, or key id and line where a run has
 * several functions of that key (which one is which is told by the line).
 */
function functionSeries(runs: (SeriesColumns | null)[]): Map<Identity, FunctionValues> {
  const series = new Map<Identity, FunctionValues>()
  const count = runs.length
  const empty = () => new Array<number | null>(count).fill(null)
  runs.forEach((columns, at) => {
    if (columns === null) return
    const perKey = new Map<number, number>()
    for (const id of columns.keyIds) perKey.set(id, (perKey.get(id) ?? 0) + 1)
    columns.keyIds.forEach((keyId, i) => {
      const identity = perKey.get(keyId) === 1 ? keyId : `${keyId}\n${columns.line[i]}`
      let values = series.get(identity)
      if (values === undefined) {
        values = { tottime: empty(), cumtime: empty(), ncalls: empty() }
        series.set(identity, values)
      }
      values.tottime[at] = columns.tottime[i]!
      values.cumtime[at] = columns.cumtime[i]!
      values.ncalls[at] = columns.ncalls[i]!
    })
  })
  return series
}

/** False when the values never differ by more than any band's least half-width. */
function mayChange(values: (number | null)[], floor: number): boolean {
  let min = Infinity
  let max = -Infinity
  let present = 0
  for (const value of values) {
    if (value === null) continue
    present += 1
    if (value < min) min = value
    if (value > max) max = value
  }
  return present > 1 && max - min > floor
}

function changeOf(
  series: Map<Identity, FunctionValues>,
  entry: { identity: Identity; at: number; flags: FlaggedPoint[] },
) {
  return series.get(entry.identity)!.tottime[entry.at]! - entry.flags[entry.at]!.baseline!
}

/** The median of the present values among the BAND_RUNS before `at`. */
function bandMiddle(values: readonly (number | null)[], at: number): number {
  const band = values
    .slice(0, at)
    .filter((v): v is number => v !== null)
    .slice(-BAND_RUNS)
  return band.length === 0 ? 0 : median(band)
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>()
  for (const item of items) {
    const key = keyOf(item)
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [item])
    else group.push(item)
  }
  return groups
}

function pickRow(columns: SeriesColumns, line: number) {
  const rows = columns.keyIds.map((_, i) => ({
    line: columns.line[i]!,
    ncalls: columns.ncalls[i]!,
    primitiveCalls: columns.primitiveCalls[i]!,
    tottime: columns.tottime[i]!,
    cumtime: columns.cumtime[i]!,
  }))
  return pickSeriesRow(rows, line)
}

const refText = (ref: FunctionRef) => JSON.stringify([ref.file, ref.line, ref.name])
const slashes = (file: string) => (file.includes('\\') ? file.replace(/\\/g, '/') : file)
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
