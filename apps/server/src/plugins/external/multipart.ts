import multipart from '@fastify/multipart'
import fp from 'fastify-plugin'
import { MAX_FILES_PER_UPLOAD } from '@profhub/api'
import type { AppOptions } from '../../app.ts'
import { MAX_LABELS } from '../../runs/labels.ts'

// Uploads are streamed to disk by the route (request.parts()), never buffered in memory.
// MAX_UPLOAD_MB bounds each file here and all the files of a request together in the route.
export default fp<AppOptions>(
  async (fastify, { config }) => {
    await fastify.register(multipart, {
      limits: {
        fileSize: config.maxUploadBytes,
        files: MAX_FILES_PER_UPLOAD,
        // `name`, `mode` and the `label`s, plus room for stray fields from a form we do not know.
        fields: MAX_LABELS + 8,
        parts: MAX_FILES_PER_UPLOAD + MAX_LABELS + 10,
        // A name is at most 200 characters: 800 bytes of UTF-8; a label at most 64 + 1 + 2000.
        fieldSize: 4096,
        fieldNameSize: 100,
        headerPairs: 100,
      },
    })
  },
  { name: 'multipart' },
)
