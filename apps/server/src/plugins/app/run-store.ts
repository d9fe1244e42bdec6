import fp from 'fastify-plugin'
import { lockDataDir } from '../../runs/data-dir-lock.ts'
import { resetUploadDirectory } from '../../runs/receive-upload.ts'
import type { RunStore } from '../../runs/run-store.ts'
import { SqliteRunStore } from '../../runs/sqlite-run-store.ts'
import { StatsTable } from '../../converter/stats-table.ts'

declare module 'fastify' {
  interface FastifyInstance {
    runStore: RunStore
  }
}

export default fp(
  async (fastify) => {
    // First, before anything in DATA_DIR is touched: a second server would delete the
    // uploads the first one is receiving. Throws (the start fails) if another server holds it.
    const lock = lockDataDir(fastify.config.dataDir)
    let store: SqliteRunStore
    try {
      // Uploads cut off by a restart are garbage: no other server is using them (the lock).
      await resetUploadDirectory(fastify.config.uploadDir)
      store = await openStore()
    } catch (error) {
      lock.release()
      throw error
    }
    fastify.decorate('runStore', store)
    fastify.addHook('onClose', async () => {
      try {
        await store.close()
      } finally {
        lock.release()
      }
    })

    // The only backend so far; a second one would be chosen here from the config.
    function openStore(): Promise<SqliteRunStore> {
      return SqliteRunStore.open(fastify.config.dataDir, {
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
    }
  },
  { name: 'run-store', dependencies: ['config', 'profile-workers'] },
)
