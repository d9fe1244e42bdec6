import { Type, type Static } from 'typebox'

// GET /api/runs/:id/export/:format: the run's stats in other tools' formats.

/**
 * `prof`: a pstats file (marshal, as `pstats.Stats.dump_stats` writes it); `pstats`: the text of
 * `print_stats()` sorted by cumulative time; `csv`: one row per function; `callgrind`: for
 * KCachegrind; `speedscope`: speedscope's JSON, with the call tree estimated from the callers.
 */
export const EXPORT_FORMATS = ['prof', 'pstats', 'csv', 'callgrind', 'speedscope'] as const

export const ExportFormatSchema = Type.Union(EXPORT_FORMATS.map((format) => Type.Literal(format)))

export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export const ExportParamsSchema = Type.Object({ id: Type.String(), format: ExportFormatSchema })

export type ExportParams = Static<typeof ExportParamsSchema>

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value)
}
