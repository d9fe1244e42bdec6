import multipart from '@fastify/multipart'
import fp from 'fastify-plugin'
import type { AppOptions } from '../../app.ts'

// Uploads are streamed to disk by the route (request.parts()), never buffered in memory.
export default fp<AppOptions>(
  async (fastify, { config }) => {
    await fastify.register(multipart, {
      limits: {
        fileSize: config.maxUploadBytes,
        files: 1,
        // `file` and `name`, plus room for a stray field from a form we do not know.
        fields: 5,
        parts: 10,
        // A name is at most 200 characters: 800 bytes of UTF-8.
        fieldSize: 4096,
        fieldNameSize: 100,
        headerPairs: 100,
      },
    })
  },
  { name: 'multipart' },
)
