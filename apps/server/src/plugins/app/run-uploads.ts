import type { FastifyBaseLogger } from 'fastify'
import fp from 'fastify-plugin'
import type { CreatedRun } from '@profhub/api'
import type { ReceivedUpload } from '../../runs/receive-upload.ts'
import { storeUpload } from '../../runs/store-upload.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Converts a received upload and stores what it makes (`runs/store-upload.ts`): one run,
     * one merged run, or one run per file. Takes ownership of the upload's temp files.
     */
    storeUpload(
      upload: ReceivedUpload,
      log: FastifyBaseLogger,
    ): Promise<CreatedRun | { runs: CreatedRun[] }>
  }
}

export default fp(
  async (fastify) => {
    const services = {
      convertProfile: fastify.convertProfile,
      convertMergedProfiles: fastify.convertMergedProfiles,
      runStore: fastify.runStore,
    }
    fastify.decorate('storeUpload', (upload: ReceivedUpload, log: FastifyBaseLogger) =>
      storeUpload(services, upload, log),
    )
  },
  { name: 'run-uploads', dependencies: ['pstats-converter', 'run-store'] },
)
