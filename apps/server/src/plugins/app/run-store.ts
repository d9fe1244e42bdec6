import fp from 'fastify-plugin'
import { resetUploadDirectory } from '../../runs/receive-upload.ts'
import type { RunStore } from '../../runs/run-store.ts'
import { SqliteRunStore } from '../../runs/sqlite-run-store.ts'

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
    const store = await SqliteRunStore.open(fastify.config.dataDir)
    fastify.decorate('runStore', store)
    fastify.addHook('onClose', () => store.close())
  },
  { name: 'run-store', dependencies: ['config'] },
)
