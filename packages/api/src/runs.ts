import { Type, type Static } from 'typebox'
import { SourceFormatSchema, SummarySchema } from './profile-document.ts'

// The HTTP contract of /api/runs (CONTRACT.md). The server validates requests and serializes
// responses with these; the web app imports the static types only.

/** At least 96 random bits, URL-safe: 16 random bytes as base64url = 22 characters. */
export const RunIdSchema = Type.String({ pattern: '^[A-Za-z0-9_-]{22}$' })

export const RunParamsSchema = Type.Object({ id: Type.String() })

export const RunSummarySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  summary: SummarySchema,
})

/** Where a run came from: shown on its page. Additive to the contract's fields. */
export const RunSourceSchema = Type.Object({
  fileName: Type.String(),
  fileSize: Type.Integer({ minimum: 0 }),
  pythonVersion: Type.Union([Type.String(), Type.Null()]),
})

export const RunSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  sourceFormat: SourceFormatSchema,
  summary: SummarySchema,
  source: RunSourceSchema,
})

export const CreatedRunSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  url: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  sourceFormat: SourceFormatSchema,
  summary: SummarySchema,
  source: RunSourceSchema,
})

export const RunListQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
})

export const RunListSchema = Type.Object({
  runs: Type.Array(RunSummarySchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
})

export const RenameRunSchema = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }) },
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
export type RunSummary = Static<typeof RunSummarySchema>
export type RunList = Static<typeof RunListSchema>
export type RunListQuery = Static<typeof RunListQuerySchema>
export type StatsQuery = Static<typeof StatsQuerySchema>
export type Stats = Static<typeof StatsSchema>
export type ApiError = Static<typeof ErrorSchema>
