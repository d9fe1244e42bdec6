import { rm } from 'node:fs/promises'
import {
  type FastifyPluginAsyncTypebox,
  TypeBoxValidatorCompiler,
} from '@fastify/type-provider-typebox'
import {
  CreatedRunSchema,
  RenameRunSchema,
  RunListQuerySchema,
  RunListSchema,
  RunParamsSchema,
  RunSchema,
  StatsQuerySchema,
  StatsSchema,
} from '@profhub/api'
import { filterStatRows, FORMAT_VERSION, sortStatRows } from '@profhub/profile'
import { ApiError, runNotFound } from '../../../errors.ts'
import { formatAttachmentDisposition } from '../../../runs/content-disposition.ts'
import {
  MAX_NAME_LENGTH,
  parseName,
  receiveUpload,
  truncate,
} from '../../../runs/receive-upload.ts'
import { formatCursor, parseCursor } from '../../../runs/run-cursor.ts'
import { isRunId } from '../../../runs/run-id.ts'

const DEFAULT_PAGE_SIZE = 50
const DEFAULT_STATS_LIMIT = 100

const runsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { runStore: store, config } = fastify

  /** The run id from the path; ids that cannot be a run id are a 404, like unknown ones. */
  function runIdOf(params: { id: string }): string {
    if (!isRunId(params.id)) throw runNotFound()
    return params.id
  }

  fastify.post('/', { schema: { response: { 201: CreatedRunSchema } } }, async (request, reply) => {
    if (!request.isMultipart()) {
      throw new ApiError(
        415,
        'Upload the profile as multipart/form-data, with the .prof file in a field named "file".',
      )
    }
    const upload = await receiveUpload(request, config.uploadDir, config.maxUploadMb)
    try {
      const converted = await fastify.convertProfile(upload.path)
      const run = await store.create({
        name: upload.name ?? (truncate(upload.fileName, MAX_NAME_LENGTH) || 'Untitled profile'),
        fileName: upload.fileName,
        fileSize: upload.size,
        uploadPath: upload.path,
        profile: converted.document,
        profileJson: converted.json,
      })
      request.log.info(
        { runId: run.id, bytes: upload.size, functions: run.summary.functionCount },
        'run stored',
      )
      return reply.code(201).send({ ...run, url: `/runs/${run.id}` })
    } finally {
      // Moved into the store on success; a leftover on failure.
      await rm(upload.path, { force: true })
    }
  })

  fastify.get(
    '/',
    { schema: { querystring: RunListQuerySchema, response: { 200: RunListSchema } } },
    async (request) => {
      const { limit = DEFAULT_PAGE_SIZE, cursor } = request.query
      const after = cursor ? parseCursor(cursor) : null
      const page = await store.list(limit, after)
      return { runs: page.runs, nextCursor: page.next && formatCursor(page.next) }
    },
  )

  fastify.get(
    '/:id',
    { schema: { params: RunParamsSchema, response: { 200: RunSchema } } },
    async (request) => {
      const run = await store.get(runIdOf(request.params))
      if (run === null) throw runNotFound()
      return run
    },
  )

  fastify.get(
    '/:id/stats',
    {
      schema: {
        params: RunParamsSchema,
        querystring: StatsQuerySchema,
        response: { 200: StatsSchema },
      },
    },
    async (request) => {
      const profile = await store.readProfile(runIdOf(request.params))
      if (profile === null) throw runNotFound()
      const { sort = 'cumtime', limit = DEFAULT_STATS_LIMIT, filter = '' } = request.query
      const rows = sortStatRows(filterStatRows(profile.functions, filter), sort)
      return { rows: rows.slice(0, limit) }
    },
  )

  fastify.get('/:id/profile', { schema: { params: RunParamsSchema } }, async (request, reply) => {
    const id = runIdOf(request.params)
    // A run's profile never changes; the format version is in the tag in case a future server
    // upgrades stored documents when it reads them.
    const etag = `"v${FORMAT_VERSION}-${id}"`
    if (isFresh(request.headers['if-none-match'], etag) && (await store.get(id)) !== null) {
      return reply.code(304).headers(profileCacheHeaders(etag)).send()
    }
    const blob = await store.openProfileJson(id)
    if (blob === null) throw runNotFound()
    return reply
      .headers(profileCacheHeaders(etag))
      .type('application/json; charset=utf-8')
      .header('content-length', blob.size)
      .send(blob.stream)
  })

  fastify.get('/:id/file', { schema: { params: RunParamsSchema } }, async (request, reply) => {
    const id = runIdOf(request.params)
    const run = await store.get(id)
    const blob = run && (await store.openOriginal(id))
    if (!run || !blob) throw runNotFound()
    return reply
      .type('application/octet-stream')
      .header('content-disposition', formatAttachmentDisposition(run.source.fileName))
      .header('content-length', blob.size)
      .send(blob.stream)
  })

  fastify.patch(
    '/:id',
    {
      // Fastify's Ajv coerces types everywhere, so `{"name": 42}` would pass as "42"; the
      // contract wants anything but a string refused. TypeBox's compiler leaves bodies as sent.
      validatorCompiler: TypeBoxValidatorCompiler,
      schema: { params: RunParamsSchema, body: RenameRunSchema, response: { 200: RunSchema } },
    },
    async (request) => {
      const id = runIdOf(request.params)
      const name = parseName(request.body.name)
      if (name === null) throw new ApiError(400, 'The name must not be empty.')
      const run = await store.rename(id, name)
      if (run === null) throw runNotFound()
      return run
    },
  )

  fastify.delete('/:id', { schema: { params: RunParamsSchema } }, async (request, reply) => {
    if (!(await store.delete(runIdOf(request.params)))) throw runNotFound()
    return reply.code(204).send()
  })
}

function profileCacheHeaders(etag: string) {
  return { etag, 'cache-control': 'private, max-age=31536000, immutable' }
}

/** If-None-Match: a list of tags (weak ones compare equal too), or `*`. */
function isFresh(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*')
}

export default runsRoutes
