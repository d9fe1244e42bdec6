import { Type, type Static } from 'typebox'

// The shim's output, validated by the server before anything is stored. It mirrors
// `ProfileDocument` in @profhub/profile; the type test in index.test.ts keeps the two equal.

const Count = Type.Integer({ minimum: 0 })
const Seconds = Type.Number({ minimum: 0 })

export const SummarySchema = Type.Object(
  {
    totalTime: Seconds,
    totalCalls: Count,
    primitiveCalls: Count,
    functionCount: Count,
  },
  { additionalProperties: false },
)

export const SourceFormatSchema = Type.Union([
  Type.Literal('cProfile'),
  Type.Literal('profile'),
  Type.Literal('yappi'),
  Type.Literal('merged'),
  Type.Literal('sampled'),
  Type.Literal('pstats'),
])

export const FunctionStatsSchema = Type.Object(
  {
    file: Type.String(),
    line: Type.Integer(),
    name: Type.String(),
    ncalls: Count,
    primitiveCalls: Count,
    tottime: Seconds,
    cumtime: Seconds,
  },
  { additionalProperties: false },
)

export const CallEdgeSchema = Type.Object(
  {
    caller: Count,
    callee: Count,
    ncalls: Count,
    primitiveCalls: Type.Union([Count, Type.Null()]),
    tottime: Type.Union([Seconds, Type.Null()]),
    cumtime: Type.Union([Seconds, Type.Null()]),
  },
  { additionalProperties: false },
)

export const ProfileDocumentSchema = Type.Object(
  {
    formatVersion: Type.Literal(1),
    sourceFormat: SourceFormatSchema,
    pythonVersion: Type.Union([Type.String({ maxLength: 20 }), Type.Null()]),
    summary: SummarySchema,
    functions: Type.Array(FunctionStatsSchema),
    edges: Type.Array(CallEdgeSchema),
  },
  { additionalProperties: false },
)

export type SummaryBody = Static<typeof SummarySchema>
export type ProfileDocumentBody = Static<typeof ProfileDocumentSchema>
