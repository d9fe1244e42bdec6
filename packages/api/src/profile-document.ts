import { Type, type Static } from 'typebox'

// The shim's output, validated by the server before anything is stored. It mirrors
// `ProfileDocumentV2` in @profhub/profile; the type test in index.test.ts keeps the two equal.

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

// formatVersion 2 (packages/profile/src/document.ts): the tables as columns over a string table.
// The schema checks each column's values; check-profile-document.ts checks lengths and indices.
const Index = Type.Integer({ minimum: 0 })
const Line = Type.Integer()
const Nullable = <T extends ReturnType<typeof Type.Integer> | ReturnType<typeof Type.Number>>(
  item: T,
) => Type.Union([item, Type.Null()])

export const FunctionColumnsSchema = Type.Object(
  {
    file: Type.Array(Index),
    line: Type.Array(Line),
    name: Type.Array(Index),
    ncalls: Type.Array(Count),
    primitiveCalls: Type.Array(Count),
    tottime: Type.Array(Seconds),
    cumtime: Type.Array(Seconds),
  },
  { additionalProperties: false },
)

export const EdgeColumnsSchema = Type.Object(
  {
    caller: Type.Array(Index),
    callee: Type.Array(Index),
    ncalls: Type.Array(Count),
    primitiveCalls: Type.Array(Nullable(Count)),
    tottime: Type.Array(Nullable(Seconds)),
    cumtime: Type.Array(Nullable(Seconds)),
  },
  { additionalProperties: false },
)

export const ProfileDocumentSchema = Type.Object(
  {
    formatVersion: Type.Literal(2),
    sourceFormat: SourceFormatSchema,
    pythonVersion: Type.Union([Type.String({ maxLength: 20 }), Type.Null()]),
    summary: SummarySchema,
    strings: Type.Array(Type.String()),
    functions: FunctionColumnsSchema,
    edges: EdgeColumnsSchema,
  },
  { additionalProperties: false },
)

export type SummaryBody = Static<typeof SummarySchema>
export type ProfileDocumentBody = Static<typeof ProfileDocumentSchema>
