import fp from 'fastify-plugin'
import { backfillSeries } from '../../runs/series-backfill.ts'

/**
 * Runs stored before series rows existed get them from their stored documents, once the server
 * is ready: not awaited, so that the server answers meanwhile (their series miss them until
 * then). One run at a time, its document parsed in a worker; a close waits for the run in
 * hand and stops. Servers sharing a database may work on the same run: the store keeps one.
 */
export default fp(
  async (fastify) => {
    let stopping = false
    let running: Promise<void> = Promise.resolve()
    fastify.addHook('onReady', async () => {
      const { runStore, profileWorkers, log } = fastify
      running = backfillSeries(runStore, profileWorkers, log, () => stopping)
    })
    // Before onClose, where the store and the workers close.
    fastify.addHook('preClose', async () => {
      stopping = true
      await running
    })
  },
  { name: 'series-backfill', dependencies: ['run-store', 'profile-workers'] },
)
