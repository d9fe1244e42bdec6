import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ApiError } from '../../errors.ts'
import { EventLoopWatch } from '../../event-loop-watch.ts'
import { freeBytes } from '../../runs/disk-full.ts'

const HealthSchema = Type.Object({
  status: Type.Literal('ok'),
  eventLoop: Type.Object(
    {
      maxDelayMs: Type.Number({
        description: 'The longest the event loop was blocked in the last windowSeconds',
      }),
      windowSeconds: Type.Integer(),
      perSecondMs: Type.Array(Type.Number(), {
        description: 'Each second of the window: its longest delay, oldest first, this second last',
      }),
    },
    { description: 'How responsive the server has been (a load test reads it)' },
  ),
})

const healthRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const watch = new EventLoopWatch()
  fastify.addHook('onClose', async () => watch.stop())
  fastify.get(
    '/health',
    // Polled by scripts and tests: log only problems.
    {
      logLevel: 'warn',
      schema: {
        tags: ['server'],
        summary:
          'Ready: the store is open, DATA_DIR has room (MIN_FREE_MB) and the converter answers (else 503)',
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
      const free = await freeBytes(fastify.config.dataDir)
      if (free < fastify.config.minFreeBytes) {
        fastify.log.warn({ freeBytes: free }, 'DATA_DIR is (nearly) full')
        throw new ApiError(
          503,
          `The server's disk is full: ${formatMb(free)} MB free in DATA_DIR, below MIN_FREE_MB (${formatMb(fastify.config.minFreeBytes)} MB). Uploads will fail until space is freed.`,
        )
      }
      if (!(await fastify.checkShim())) {
        throw new ApiError(
          503,
          'The profile converter does not answer: check that Python 3 is installed (PYTHON) and see the server log.',
        )
      }
      // Ready means ready to convert: the first upload must not wait for a worker to load.
      const workerOk = await fastify.profileWorkers.whenWarm().then(
        () => true,
        (error: unknown) => {
          fastify.log.error({ err: error }, 'the profile worker did not start')
          return false
        },
      )
      if (!workerOk) {
        throw new ApiError(503, 'The profile worker thread did not start: see the server log.')
      }
      return { status: 'ok' as const, eventLoop: watch.read() }
    },
  )
}

function formatMb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1)
}

export default healthRoutes
