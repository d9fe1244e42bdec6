import fp from 'fastify-plugin'
import { resetUploadDirectory } from '../../runs/receive-upload.ts'
import type { RunStore } from '../../runs/run-store.ts'
import { SqliteRunStore } from '../../runs/sqlite-run-store.ts'
import { StatsTable } from '../../runs/stats-table.ts'

declare module 'fastify' {
  interface FastifyInstance {
    runStore: RunStore
  }
}

export default fp(
  async (fastify) => {
    // Uploads cut off by a restart are garbage; one server process owns a DATA_DIR.
    await resetUploadDirectory(fastify.config.uploadDir)
    // The only backend so far; a second one would be chosen here from the config.
    const store = await SqliteRunStore.open(fastify.config.dataDir, {
      cacheBytes: fastify.config.profileCacheBytes,
      scratchDir: fastify.config.uploadDir,
      async loadStatsTable(file) {
        const answer = await fastify.profileWorkers.run({ kind: 'table', path: file })
        if (answer.kind === 'table') return new StatsTable(answer.columns)
        if (answer.kind === 'missing') return null
        throw new Error(
          `profile worker: ${answer.kind === 'failed' ? answer.message : answer.kind}`,
        )
      },
    })
    fastify.decorate('runStore', store)
    fastify.addHook('onClose', () => store.close())
  },
  { name: 'run-store', dependencies: ['config', 'profile-workers'] },
)
