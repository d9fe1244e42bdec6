import fp from 'fastify-plugin'
import type { AppOptions } from './config.ts'
import { ProfileWorkers } from '../../converter/profile-workers.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Worker threads that parse and check big profile documents off the event loop. */
    profileWorkers: ProfileWorkers
  }
}

export default fp(
  async (fastify, opts: Partial<AppOptions>) => {
    // Shared workers belong to whoever passed them in; our own go with the app.
    const workers = opts.profileWorkers ?? new ProfileWorkers()
    fastify.decorate('profileWorkers', workers)
    if (!opts.profileWorkers) {
      // Not awaited: the worker loads while the server starts listening; /api/health waits.
      fastify.addHook('onReady', async () => {
        workers
          .warm()
          .catch((error: unknown) => fastify.log.error({ err: error }, 'profile worker'))
      })
      fastify.addHook('onClose', () => workers.close())
    }
  },
  { name: 'profile-workers' },
)
