import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { MemoryDocumentSchema, RunParamsSchema, SourceQuerySchema } from '@profhub/api'
import { ApiError, quoteForMessage as quote, runNotFound } from '../../../errors.ts'
import { isRunId } from '../../../runs/run-id.ts'

/**
 * `GET /api/runs/:id/memory` and `GET /api/runs/:id/source?file=`: the parts uploaded with the
 * run besides its profile (run-parts.ts checked them). Like every URL of one run, its id is
 * the permission: no token is asked for.
 */
export const extrasRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { runStore: store } = fastify

  fastify.get(
    '/:id/memory',
    {
      schema: {
        tags: ['runs'],
        summary:
          "The run's memory document (tracemalloc: peak and final bytes, heaviest lines and tracebacks), as uploaded with profhub.py run --memory; 404 if it has none",
        params: RunParamsSchema,
        // Described, not used to serialize: the stored JSON is sent as it is.
        response: { 200: MemoryDocumentSchema },
      },
    },
    async (request, reply) => {
      const { id } = request.params
      if (!isRunId(id)) throw runNotFound()
      const run = await store.get(id)
      if (run === null) throw runNotFound()
      const blob = run.hasMemory ? await store.openMemory(id) : null
      if (blob === null) {
        if ((await store.get(id)) === null) throw runNotFound()
        throw new ApiError(
          404,
          'This run has no memory data: upload with profhub.py run --memory to record it.',
        )
      }
      // The stored JSON as it is (it was checked and re-serialized when it was uploaded).
      return (reply as FastifyReply)
        .type('application/json; charset=utf-8')
        .header('content-length', blob.size)
        .send(blob.stream)
    },
  )

  fastify.get(
    '/:id/source',
    {
      schema: {
        tags: ['runs'],
        summary:
          'The text of one of the program\'s files uploaded with the run (text/plain), by its path exactly as in the stats ("file"); 404 if the run has no source for it',
        params: RunParamsSchema,
        querystring: SourceQuerySchema,
      },
    },
    async (request, reply) => {
      const { id } = request.params
      if (!isRunId(id)) throw runNotFound()
      const run = await store.get(id)
      if (run === null) throw runNotFound()
      const { file } = request.query
      const text = await store.readSource(id, file)
      if (text === null) {
        if ((await store.get(id)) === null) throw runNotFound()
        throw sourceNotFound(file, run.sourceFiles.length)
      }
      // Untrusted text: served as plain text that no browser may take for markup or script
      // (nosniff, and the app's Content-Security-Policy, are on every answer).
      return reply
        .type('text/plain; charset=utf-8')
        .header('x-content-type-options', 'nosniff')
        .send(text)
    },
  )
}

function sourceNotFound(file: string, count: number): ApiError {
  if (count === 0) {
    return new ApiError(
      404,
      "The source was not uploaded with this run. profhub.py run sends the source of the program's own files (those under the directory it runs in) unless --no-source is given; a .prof uploaded alone has none.",
    )
  }
  return new ApiError(
    404,
    `This run has no source for ${quote(file)}: only the program's own files (those under the directory profhub.py ran in) are sent, and this run has ${count === 1 ? 'one' : count}.`,
  )
}
