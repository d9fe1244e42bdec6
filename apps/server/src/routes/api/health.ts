import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ApiError } from '../../errors.ts'
import { EventLoopWatch } from '../../event-loop-watch.ts'
import { freeBytes } from '../../runs/disk-full.ts'

const HealthSchema = Type.Object({
  status: Type.Literal('ok'),
  store: Type.Object(
    {
      runs: Type.Union([Type.Literal('sqlite'), Type.Literal('postgresql')]),
      blobs: Type.Union([Type.Literal('files'), Type.Literal('postgresql'), Type.Literal('s3')]),
    },
    {
      description:
        'Where run metadata (runs) and their bytes (blobs) are kept: DATABASE_URL and S3_ENDPOINT choose',
    },
  ),
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
  const { databaseUrl, objectStorage } = fastify.config
  const store = {
    runs: databaseUrl === null ? ('sqlite' as const) : ('postgresql' as const),
    blobs:
      objectStorage !== null
        ? ('s3' as const)
        : databaseUrl === null
          ? ('files' as const)
          : ('postgresql' as const),
  }
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
        throw new ApiError(
          503,
          fastify.config.databaseUrl === null
            ? 'The run store is not available: see the server log (DATA_DIR).'
            : 'The run store is not available (its PostgreSQL database or object storage does not answer): see the server log.',
        )
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
      return { status: 'ok' as const, store, eventLoop: watch.read() }
    },
  )
}

function formatMb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1)
}

export default healthRoutes
