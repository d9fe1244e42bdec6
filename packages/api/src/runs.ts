import { Type, type Static } from 'typebox'
import { SourceFormatSchema, SummarySchema } from './profile-document.ts'
import { RunEnvironmentSchema } from './run-extras.ts'

// The HTTP contract of /api/runs (the README's API section). The server validates requests and serializes
// responses with these; the web app imports the static types only.

/** At least 96 random bits, URL-safe: 16 random bytes as base64url = 22 characters. */
export const RunIdSchema = Type.String({ pattern: '^[A-Za-z0-9_-]{22}$' })

export const RunParamsSchema = Type.Object({ id: Type.String() })

/** A run's free text (untrusted), at most this many characters (code points). */
export const MAX_NOTE_LENGTH = 10_000

/** Files one upload may carry (multipart `file` parts). */
export const MAX_FILES_PER_UPLOAD = 20

/**
 * `KEY: VALUE` pairs sent with the upload (repeated multipart `label` fields, `KEY=VALUE`):
 * keys are 1–64 of `A-Z a-z 0-9 _ . : / -`, values untrusted text of at most 500 characters,
 * at most 50 labels. `{}` when there are none. Additive to the contract's fields.
 */
export const RunLabelsSchema = Type.Record(Type.String(), Type.String())

export const RunSummarySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  summary: SummarySchema,
  /** Free text; '' when there is none. Additive to the contract's fields. */
  note: Type.String(),
  /** Always sent by the server; optional here so that summaries made by clients may omit it. */
  labels: Type.Optional(RunLabelsSchema),
  /** Always sent by the server (guessed when none was uploaded); optional as `labels` is. */
  environment: Type.Optional(RunEnvironmentSchema),
})

export const SourceFileSchema = Type.Object({
  fileName: Type.String(),
  fileSize: Type.Integer({ minimum: 0 }),
})

/**
 * Where a run came from: shown on its page. Additive to the contract's fields. `fileName` and
 * `fileSize` are the first uploaded file's (what `/file` sends); `files` lists every file the
 * run was made from, in upload order: one, or several for a merged run (`/files/<index>`).
 */
export const RunSourceSchema = Type.Object({
  fileName: Type.String(),
  fileSize: Type.Integer({ minimum: 0 }),
  pythonVersion: Type.Union([Type.String(), Type.Null()]),
  files: Type.Array(SourceFileSchema),
})

export const RunSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  sourceFormat: SourceFormatSchema,
  summary: SummarySchema,
  source: RunSourceSchema,
  note: Type.String(),
  labels: RunLabelsSchema,
  /** What the run ran on: as uploaded, or `guessed: true` from the profile. Additive. */
  environment: RunEnvironmentSchema,
  /** Whether `GET /api/runs/:id/memory` has a document. Additive. */
  hasMemory: Type.Boolean(),
  /** The paths (as in the stats) whose text `GET /api/runs/:id/source?file=` has. Additive. */
  sourceFiles: Type.Array(Type.String()),
})

export const CreatedRunSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  url: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  sourceFormat: SourceFormatSchema,
  summary: SummarySchema,
  source: RunSourceSchema,
  note: Type.String(),
  labels: RunLabelsSchema,
  /** What the run ran on: as uploaded, or `guessed: true` from the profile. Additive. */
  environment: RunEnvironmentSchema,
  /** Whether `GET /api/runs/:id/memory` has a document. Additive. */
  hasMemory: Type.Boolean(),
  /** The paths (as in the stats) whose text `GET /api/runs/:id/source?file=` has. Additive. */
  sourceFiles: Type.Array(Type.String()),
})

/** `POST /api/runs` with several files and `mode=separate`: one run per file, in upload order. */
export const CreatedRunsSchema = Type.Object({ runs: Type.Array(CreatedRunSchema) })

/** The multipart `mode` field of `POST /api/runs` (default `separate`). */
export const UploadModeSchema = Type.Union([Type.Literal('separate'), Type.Literal('merge')])

/** `GET /api/runs?sort=`: upload time (the default), name (case-insensitive), total time. */
export const RunSortSchema = Type.Union([
  Type.Literal('created'),
  Type.Literal('name'),
  Type.Literal('totalTime'),
])

export const SortOrderSchema = Type.Union([Type.Literal('asc'), Type.Literal('desc')])

export const RunListQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  // A cursor carries the last run's sort value (a name of up to 200 characters, escaped).
  cursor: Type.Optional(Type.String({ maxLength: 4096 })),
  /** Runs whose name contains this, case-insensitively; '' is no filter. */
  q: Type.Optional(Type.String({ maxLength: 1000 })),
  sort: Type.Optional(RunSortSchema),
  /** Default: `desc` for `created` and `totalTime`, `asc` for `name`. */
  order: Type.Optional(SortOrderSchema),
  /** `KEY=VALUE`, repeatable: runs that have every one of these labels. */
  label: Type.Optional(Type.Array(Type.String({ maxLength: 600 }), { maxItems: 50 })),
})

export const RunListSchema = Type.Object({
  runs: Type.Array(RunSummarySchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
})

export const RenameRunSchema = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
)

/**
 * `PATCH /api/runs/:id`: a new name, a new note, or both; the server refuses `{}`. Both limits
 * are counted in code points by the server (200, MAX_NOTE_LENGTH); these are the UTF-16 bounds.
 */
export const UpdateRunSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 400 })),
    note: Type.Optional(Type.String({ maxLength: 2 * MAX_NOTE_LENGTH })),
  },
  { additionalProperties: false },
)

export const StatSortSchema = Type.Union([
  Type.Literal('cumtime'),
  Type.Literal('tottime'),
  Type.Literal('ncalls'),
  Type.Literal('name'),
  Type.Literal('file'),
])

export const StatsQuerySchema = Type.Object({
  sort: Type.Optional(StatSortSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1 })),
  filter: Type.Optional(Type.String({ maxLength: 1000 })),
})

export const StatRowSchema = Type.Object({
  file: Type.String(),
  line: Type.Integer(),
  name: Type.String(),
  ncalls: Type.Integer(),
  primitiveCalls: Type.Integer(),
  tottime: Type.Number(),
  cumtime: Type.Number(),
})

export const StatsSchema = Type.Object({ rows: Type.Array(StatRowSchema) })

export const ErrorSchema = Type.Object({ error: Type.String(), message: Type.String() })

export type Run = Static<typeof RunSchema>
export type CreatedRun = Static<typeof CreatedRunSchema>
export type CreatedRuns = Static<typeof CreatedRunsSchema>
export type UploadMode = Static<typeof UploadModeSchema>
export type RunSort = Static<typeof RunSortSchema>
export type SortOrder = Static<typeof SortOrderSchema>
export type UpdateRun = Static<typeof UpdateRunSchema>
export type SourceFile = Static<typeof SourceFileSchema>
export type RunLabels = Static<typeof RunLabelsSchema>
export type RunSummary = Static<typeof RunSummarySchema>
export type RunList = Static<typeof RunListSchema>
export type RunListQuery = Static<typeof RunListQuerySchema>
export type StatsQuery = Static<typeof StatsQuerySchema>
export type Stats = Static<typeof StatsSchema>
export type ApiError = Static<typeof ErrorSchema>
