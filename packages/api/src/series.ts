import { Type, type Static } from 'typebox'
import { RunLabelsSchema, RunSummarySchema } from './runs.ts'

// The HTTP contract of /api/series (the README's API section). A series is the runs that share
// one label value (`project=rasa-policy`, `branch=main`), oldest first: by the `commit-time`
// label when every run has one (profhub.py records it from git), else by upload time.

/** The most recent runs a series query looks at (older runs of the series are left out). */
export const MAX_SERIES_RUNS = 1000
export const DEFAULT_SERIES_RUNS = 500

// No minLength: an empty label gets the label checker's message ("has no ="), not the validator's.
const SeriesLabel = Type.String({ maxLength: 600 })
const SeriesLimit = Type.Integer({
  minimum: 2,
  maximum: MAX_SERIES_RUNS,
  default: DEFAULT_SERIES_RUNS,
})

/** `GET /api/series?label=KEY=VALUE[&limit=N]` */
export const SeriesQuerySchema = Type.Object({
  label: SeriesLabel,
  /** The series' most recent `limit` runs are answered (default 500). */
  limit: Type.Optional(SeriesLimit),
})

/** How the series is ordered: by the runs' `commit-time` labels, or by upload time. */
export const SeriesOrderSchema = Type.Union([Type.Literal('commit-time'), Type.Literal('created')])

export const SeriesLabelSchema = Type.Object({ key: Type.String(), value: Type.String() })

export const SeriesSchema = Type.Object({
  label: SeriesLabelSchema,
  order: SeriesOrderSchema,
  /** Oldest first. */
  runs: Type.Array(RunSummarySchema),
  /** True when the series has more runs than were answered (the oldest were left out). */
  truncated: Type.Boolean(),
})

/** `GET /api/series/function?label=KEY=VALUE&file=&line=&name=[&limit=N]` */
export const SeriesFunctionQuerySchema = Type.Object({
  label: SeriesLabel,
  file: Type.String({ maxLength: 4096 }),
  line: Type.Integer({ minimum: 0 }),
  name: Type.String({ maxLength: 4096 }),
  limit: Type.Optional(SeriesLimit),
})

/**
 * How a point compares with the band of the runs before it (up to the 10 previous runs that
 * have the function, at least 5): `slower` / `faster` when its own time leaves the band,
 * null inside it or when there are too few runs before it to tell.
 */
export const SeriesFlagSchema = Type.Union([
  Type.Literal('slower'),
  Type.Literal('faster'),
  Type.Null(),
])

/** One run of the series, with the function's numbers in it. */
export const SeriesPointSchema = Type.Object({
  runId: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  labels: RunLabelsSchema,
  /** Additive: the run's name and note (for hovering a point), and its total time. */
  name: Type.String(),
  note: Type.String(),
  runTotal: Type.Number(),
  /** False when the run has no such function (its numbers are then 0). Additive. */
  found: Type.Boolean(),
  /** The function's line in this run (it moves when lines above it are edited). Additive. */
  line: Type.Union([Type.Integer(), Type.Null()]),
  ncalls: Type.Number(),
  primitiveCalls: Type.Number(),
  tottime: Type.Number(),
  cumtime: Type.Number(),
  /** Additive: whether own time left the band, and the band's middle (median of the runs before). */
  flag: SeriesFlagSchema,
  baseline: Type.Union([Type.Number(), Type.Null()]),
})

export const SeriesFunctionSchema = Type.Object({
  label: SeriesLabelSchema,
  order: SeriesOrderSchema,
  /** The function as asked for. */
  function: Type.Object({ file: Type.String(), line: Type.Integer(), name: Type.String() }),
  points: Type.Array(SeriesPointSchema),
  truncated: Type.Boolean(),
})

/** `GET /api/series/changes?label=KEY=VALUE[&limit=N]` */
export const SeriesChangesQuerySchema = SeriesQuerySchema

const Before = Type.Object({ before: Type.Number(), after: Type.Number() })

/** A function whose cumulative time grew at the same run only through a flagged function. */
export const SeriesCallerSchema = Type.Object({
  file: Type.String(),
  line: Type.Integer(),
  name: Type.String(),
  cumtime: Before,
  tottime: Before,
})

/**
 * A function whose own time left its band at one run (the most recent such change in the
 * runs looked at): `before` is the band's middle (median of up to 10 runs before), `after`
 * the run's value.
 */
export const SeriesChangeSchema = Type.Object({
  file: Type.String(),
  line: Type.Integer(),
  name: Type.String(),
  direction: Type.Union([Type.Literal('slower'), Type.Literal('faster')]),
  /** The run where it changed, and the run before it in the series. */
  runId: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  labels: RunLabelsSchema,
  runName: Type.String(),
  previousRunId: Type.Union([Type.String(), Type.Null()]),
  tottime: Type.Object({
    before: Type.Number(),
    after: Type.Number(),
    change: Type.Number(),
    /** In percent of before; null when before is 0. */
    percent: Type.Union([Type.Number(), Type.Null()]),
  }),
  cumtime: Before,
  ncalls: Before,
  /** The run totals, so that a function that grew with the whole run can be told apart. */
  runTotal: Before,
  /** Functions whose cumulative time grew at this run only through this one (its callers). */
  callers: Type.Array(SeriesCallerSchema),
})

export const SeriesChangesSchema = Type.Object({
  label: SeriesLabelSchema,
  order: SeriesOrderSchema,
  /** How many runs of the series were looked at, and how many of the latest were scanned. */
  runCount: Type.Integer(),
  scanned: Type.Integer(),
  /** Largest absolute change of own time first; at most 100. */
  changes: Type.Array(SeriesChangeSchema),
  truncated: Type.Boolean(),
})

export type SeriesQuery = Static<typeof SeriesQuerySchema>
export type SeriesOrder = Static<typeof SeriesOrderSchema>
export type Series = Static<typeof SeriesSchema>
export type SeriesFunctionQuery = Static<typeof SeriesFunctionQuerySchema>
export type SeriesFlag = Static<typeof SeriesFlagSchema>
export type SeriesPoint = Static<typeof SeriesPointSchema>
export type SeriesFunction = Static<typeof SeriesFunctionSchema>
export type SeriesCaller = Static<typeof SeriesCallerSchema>
export type SeriesChange = Static<typeof SeriesChangeSchema>
export type SeriesChanges = Static<typeof SeriesChangesSchema>
