import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  DEFAULT_SERIES_RUNS,
  SeriesChangesQuerySchema,
  SeriesChangesSchema,
  SeriesFunctionQuerySchema,
  SeriesFunctionSchema,
  SeriesQuerySchema,
  SeriesSchema,
} from '@profhub/api'
import { LabelSet } from '../../runs/labels.ts'
import type { SeriesLabel } from '../../series/series-queries.ts'

/** `GET /api/series…`: a series is the runs that share one label value (`label=KEY=VALUE`). */
const seriesRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { series } = fastify

  fastify.get(
    '/',
    {
      schema: {
        tags: ['series'],
        summary:
          'The runs with the label KEY=VALUE, oldest first (by their commit-time labels when every run has one, else by upload time)',
        querystring: SeriesQuerySchema,
        response: { 200: SeriesSchema },
      },
    },
    async (request) => {
      const { label, limit = DEFAULT_SERIES_RUNS } = request.query
      return series.series(parseSeriesLabel(label), limit)
    },
  )

  fastify.get(
    '/function',
    {
      schema: {
        tags: ['series'],
        summary:
          "One function's ncalls, tottime and cumtime in every run of the series, each point flagged when its own time left the band of the runs before it",
        querystring: SeriesFunctionQuerySchema,
        response: { 200: SeriesFunctionSchema },
      },
    },
    async (request) => {
      const { label, file, line, name, limit = DEFAULT_SERIES_RUNS } = request.query
      return series.function(parseSeriesLabel(label), { file, line, name }, limit)
    },
  )

  fastify.get(
    '/changes',
    {
      schema: {
        tags: ['series'],
        summary:
          'The functions whose own time changed in the latest runs of the series, largest change first, with the callers whose cumulative time changed only through them',
        querystring: SeriesChangesQuerySchema,
        response: { 200: SeriesChangesSchema },
      },
    },
    async (request) => {
      const { label, limit = DEFAULT_SERIES_RUNS } = request.query
      return series.changes(parseSeriesLabel(label), limit)
    },
  )
}

/** `KEY=VALUE`, checked as an upload's labels are. */
function parseSeriesLabel(field: string): SeriesLabel {
  const labels = new LabelSet()
  labels.add(field)
  const [key, value] = Object.entries(labels.toObject())[0]!
  return { key, value }
}

export default seriesRoutes
