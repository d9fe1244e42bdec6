import multipart from '@fastify/multipart'
import fp from 'fastify-plugin'
import { MAX_FILES_PER_UPLOAD } from '@profhub/api'
import type { AppOptions } from '../app/config.ts'
import { MAX_LABELS } from '../../runs/labels.ts'
import { MAX_EXTRA_PART_BYTES } from '../../runs/run-parts.ts'

// Uploads are streamed to disk by the route (request.parts()), never buffered in memory.
// MAX_UPLOAD_MB bounds each file here and all the files of a request together in the route.
export default fp<AppOptions>(
  async (fastify, { config }) => {
    await fastify.register(multipart, {
      limits: {
        fileSize: config.maxUploadBytes,
        // The `file` parts (the route counts them) and the JSON parts sent as files.
        files: MAX_FILES_PER_UPLOAD + 3,
        // `name`, `mode`, the `label`s and the three JSON parts (`memory`, `source`,
        // `environment`), plus room for stray fields from a form we do not know.
        fields: MAX_LABELS + 11,
        parts: MAX_FILES_PER_UPLOAD + MAX_LABELS + 13,
        // The JSON parts may come as plain fields: one byte past the biggest one's cap tells
        // that it was cut. A name or label field is held to 4096 bytes by the route.
        fieldSize: MAX_EXTRA_PART_BYTES + 1,
        fieldNameSize: 100,
        headerPairs: 100,
      },
    })
  },
  { name: 'multipart' },
)
