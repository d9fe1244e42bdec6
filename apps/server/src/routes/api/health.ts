import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ApiError } from '../../errors.ts'

const HealthSchema = Type.Object({ status: Type.Literal('ok') })

const healthRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/health',
    // Polled by scripts and tests: log only problems.
    {
      logLevel: 'warn',
      schema: {
        tags: ['server'],
        summary: 'Ready: the store is open and the converter answers (else 503)',
        response: { 200: HealthSchema },
      },
    },
    async () => {
      const storeOk = await fastify.runStore.ping().then(
        () => true,
        (error: unknown) => {
          fastify.log.error({ err: error }, 'the run store does not answer')
          return false
        },
      )
      if (!storeOk) {
        throw new ApiError(503, 'The run store is not available: see the server log (DATA_DIR).')
      }
      if (!(await fastify.checkShim())) {
        throw new ApiError(
          503,
          'The profile converter does not answer: check that Python 3 is installed (PYTHON) and see the server log.',
        )
      }
      return { status: 'ok' as const }
    },
  )
}

export default healthRoutes
