import {
  type FastifyPluginAsyncTypebox,
  TypeBoxValidatorCompiler,
} from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import {
  CreatedRunSchema,
  CreatedRunsSchema,
  MAX_NOTE_LENGTH,
  RunListQuerySchema,
  RunListSchema,
  RunParamsSchema,
  RunSchema,
  StatsQuerySchema,
  StatsSchema,
  UpdateRunSchema,
} from '@profhub/api'
import { FORMAT_VERSION } from '@profhub/profile'
import { readBlobBytes } from '../../../runs/blob-store.ts'
import { acceptsBrotli } from '../../../runs/compressed-copies.ts'
import { ApiError, runNotFound } from '../../../errors.ts'
import { formatAttachmentDisposition } from '../../../runs/content-disposition.ts'
import { parseName, receiveUpload } from '../../../runs/receive-upload.ts'
import { formatCursor, parseCursor } from '../../../runs/run-cursor.ts'
import { isRunId } from '../../../runs/run-id.ts'
import type { RunChanges } from '../../../runs/run-store.ts'
import { LabelSet } from '../../../runs/labels.ts'
import { exportRoutes } from './export.ts'
import { extrasRoutes } from './extras.ts'
import { answerEncoding, FAST_BROTLI, FAST_GZIP, KeptAnswers } from './kept-answers.ts'
import { unexpectedAnswer } from '../../../converter/profile-workers.ts'

const DEFAULT_PAGE_SIZE = 50
const DEFAULT_STATS_LIMIT = 100
/** What the answers kept as sent (kept-answers.ts) may take, as a share of PROFILE_CACHE_MB. */
const KEPT_ANSWERS_SHARE = 0.25
/**
 * A profile whose brotli copy is not made yet, or asked for by a client that takes only gzip,
 * is compressed as it is sent, at the settings /stats answers are (stats-answers.ts).
 */
const FAST_COMPRESSION = {
  encodings: ['br', 'gzip'] as ['br', 'gzip'],
  brotliOptions: FAST_BROTLI,
  zlibOptions: FAST_GZIP,
}
// A note of 10,000 characters, each escaped as \uXXXX in JSON, is 60 KB.
const PATCH_BODY_LIMIT = 256 * 1024

const RunFileParamsSchema = Type.Object({ id: Type.String(), index: Type.String() })

const runsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { runStore: store, config } = fastify
  const keptAnswers = new KeptAnswers(config.profileCacheBytes * KEPT_ANSWERS_SHARE)
  await fastify.register(exportRoutes)
  await fastify.register(extrasRoutes)

  /** The run id from the path; ids that cannot be a run id are a 404, like unknown ones. */
  function runIdOf(params: { id: string }): string {
    if (!isRunId(params.id)) throw runNotFound()
    return params.id
  }

  fastify.post(
    '/',
    {
      schema: {
        tags: ['runs'],
        summary: 'Upload one or more .prof files (multipart): one run each, or one merged run',
        response: { 201: Type.Union([CreatedRunSchema, CreatedRunsSchema]) },
      },
      // fast-json-stringify tells a union's branches apart with Ajv, and compiled the branch
      // schema again on every response: 40 ms of blocked event loop per upload. The handler
      // sends exactly one of the two typed shapes, so plain JSON is the same bytes.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request, reply) => {
      if (!request.isMultipart()) {
        throw new ApiError(
          415,
          'Upload the profile as multipart/form-data, with the .prof file in a field named "file".',
        )
      }
      const upload = await receiveUpload(request, config.uploadDir, config.maxUploadMb)
      return reply.code(201).send(await fastify.storeUpload(upload, request.log))
    },
  )

  fastify.get(
    '/',
    {
      schema: {
        tags: ['runs'],
        summary:
          'List runs, newest first (or sorted), a page at a time; label=KEY=VALUE (repeatable) keeps runs with those labels',
        querystring: RunListQuerySchema,
        response: { 200: RunListSchema },
      },
    },
    async (request) => {
      const { limit = DEFAULT_PAGE_SIZE, cursor, q = '', sort = 'created' } = request.query
      const order = request.query.order ?? (sort === 'name' ? 'asc' : 'desc')
      const query = { sort, order, q, labels: parseLabelFilter(request.query.label ?? []) }
      const after = cursor ? parseCursor(cursor, query) : null
      const page = await store.list({ ...query, limit, after })
      return { runs: page.runs, nextCursor: page.next && formatCursor(page.next, query) }
    },
  )

  fastify.get(
    '/:id',
    {
      schema: {
        tags: ['runs'],
        summary: 'One run: name, summary, source files, note',
        params: RunParamsSchema,
        response: { 200: RunSchema },
      },
    },
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
        tags: ['runs'],
        summary: "The run's pstats rows, sorted and filtered",
        params: RunParamsSchema,
        querystring: StatsQuerySchema,
        response: { 200: StatsSchema },
      },
      // Compressed by KeptAnswers, once per answer kept.
      compress: false,
    },
    async (request, reply) => {
      const id = runIdOf(request.params)
      const table = await store.readStatsTable(id)
      if (table === null) throw runNotFound()
      const { sort = 'cumtime', limit = DEFAULT_STATS_LIMIT, filter = '' } = request.query
      // Kept as sent (kept-answers.ts). Written from the table's sorted orders, filters'
      // matches and rows' JSON (stats-table.ts): a walk and a slice, in pieces of 500 rows.
      const answer = await keptAnswers.read(
        id,
        JSON.stringify([sort, filter, Math.min(limit, table.rowCount)]),
        answerEncoding(request.headers['accept-encoding']),
        () => table.queryJson(sort, filter, limit),
      )
      if (answer.encoding !== 'identity') reply.header('content-encoding', answer.encoding)
      return (reply as FastifyReply)
        .header('vary', 'accept-encoding')
        .type('application/json; charset=utf-8')
        .send(answer.body)
    },
  )

  const profileSchema = {
    tags: ['runs'],
    summary: 'The converted call graph (JSON document with formatVersion)',
    params: RunParamsSchema,
  }
  const profileOptions = { schema: profileSchema, compress: FAST_COMPRESSION }
  fastify.get('/:id/profile', profileOptions, async (request, reply) => {
    const id = runIdOf(request.params)
    // A run's profile never changes; the format version is in the tag in case a future server
    // upgrades stored documents when it reads them.
    const etag = `"v${FORMAT_VERSION}-${id}"`
    if (isFresh(request.headers['if-none-match'], etag) && (await store.get(id)) !== null) {
      return reply
        .code(304)
        .headers(profileCacheHeaders(etag))
        .header('vary', 'accept-encoding')
        .send()
    }
    // Compressed once when stored (compressed-copies.ts) rather than on every download.
    const brotli = acceptsBrotli(request.headers['accept-encoding'])
      ? await store.openProfileJson(id, 'br')
      : null
    const blob = brotli ?? (await store.openProfileJson(id))
    if (blob === null) throw runNotFound()
    if (brotli !== null) reply.header('content-encoding', 'br')
    return reply
      .headers(profileCacheHeaders(etag))
      .header('vary', 'accept-encoding')
      .type('application/json; charset=utf-8')
      .header('content-length', blob.size)
      .send(blob.stream)
  })

  const treeSchema = {
    tags: ['runs'],
    summary:
      "The charts' call tree, built once here rather than in every browser that opens the run (application/octet-stream: `encodePackedTree` in @profhub/profile)",
    params: RunParamsSchema,
  }
  fastify.get('/:id/tree', { schema: treeSchema, compress: false }, async (request, reply) => {
    const id = runIdOf(request.params)
    if ((await store.get(id)) === null) throw runNotFound()
    const answer = await keptAnswers.read(
      id,
      'tree',
      answerEncoding(request.headers['accept-encoding']),
      async () => {
        const blob = await store.openProfileJson(id)
        if (blob === null) throw runNotFound()
        // Parsed and built in a worker (a 100k-function profile: about 0.5 s), never here.
        const document = await readBlobBytes(blob)
        const built = await fastify.profileWorkers.run({ kind: 'tree', document }, [document])
        if (built.kind !== 'tree') {
          throw unexpectedAnswer(built)
        }
        return [new Uint8Array(built.bytes)]
      },
    )
    if (answer.encoding !== 'identity') reply.header('content-encoding', answer.encoding)
    // Not cached by browsers as the profile is: a newer server may build the tree differently.
    return reply
      .header('cache-control', 'private, no-cache')
      .header('vary', 'accept-encoding')
      .type('application/octet-stream')
      .send(answer.body)
  })

  /** The `index`th uploaded file (0: the first, what /file sends); 404 past the last. */
  async function sendOriginal(id: string, index: number, reply: FastifyReply) {
    const run = await store.get(id)
    const file = run?.source.files[index]
    const blob = file && (await store.openOriginal(id, index))
    if (!run || !blob) throw runNotFound()
    if (!file) throw fileNotFound(run.source.files.length)
    return reply
      .type('application/octet-stream')
      .header('content-disposition', formatAttachmentDisposition(file.fileName))
      .header('content-length', blob.size)
      .send(blob.stream)
  }

  const fileSchema = {
    tags: ['runs'],
    summary: 'The first uploaded .prof file, as uploaded',
    params: RunParamsSchema,
  }
  fastify.get('/:id/file', { schema: fileSchema }, async (request, reply) =>
    sendOriginal(runIdOf(request.params), 0, reply),
  )

  fastify.get(
    '/:id/files/:index',
    {
      schema: {
        tags: ['runs'],
        summary: "The index-th uploaded file of a run (a merged run's parts)",
        params: RunFileParamsSchema,
      },
    },
    async (request, reply) => {
      const id = runIdOf(request.params)
      const run = await store.get(id)
      if (run === null) throw runNotFound()
      // Like ids, anything that is not an index of this run's files is a 404.
      const index = /^(0|[1-9][0-9]{0,5})$/.test(request.params.index)
        ? Number(request.params.index)
        : Infinity
      if (index >= run.source.files.length) throw fileNotFound(run.source.files.length)
      return sendOriginal(id, index, reply)
    },
  )

  fastify.patch(
    '/:id',
    {
      // Fastify's Ajv coerces types everywhere, so `{"name": 42}` would pass as "42"; the
      // contract wants anything but a string refused. TypeBox's compiler leaves bodies as sent.
      validatorCompiler: TypeBoxValidatorCompiler,
      bodyLimit: PATCH_BODY_LIMIT,
      schema: {
        tags: ['runs'],
        summary: 'Rename a run, or set its note',
        params: RunParamsSchema,
        body: UpdateRunSchema,
        response: { 200: RunSchema },
      },
    },
    async (request) => {
      const id = runIdOf(request.params)
      const run = await store.update(id, parseRunChanges(request.body))
      if (run === null) throw runNotFound()
      return run
    },
  )

  const deleteSchema = {
    tags: ['runs'],
    summary: 'Delete a run and its files',
    params: RunParamsSchema,
  }
  fastify.delete('/:id', { schema: deleteSchema }, async (request, reply) => {
    const id = runIdOf(request.params)
    if (!(await store.delete(id))) throw runNotFound()
    keptAnswers.forget(id)
    return reply.code(204).send()
  })
}

/** `label=KEY=VALUE` (repeated): checked as upload labels are, as `[key, value]` pairs. */
function parseLabelFilter(fields: string[]): [string, string][] {
  const labels = new LabelSet()
  for (const field of fields) labels.add(field)
  return Object.entries(labels.toObject())
}

/** `{name}`, `{note}` or both: the name trimmed and non-empty, the note as sent. */
function parseRunChanges(body: { name?: string; note?: string }): RunChanges {
  if (body.name === undefined && body.note === undefined) {
    throw new ApiError(400, 'Send a "name", a "note" or both.')
  }
  const changes: RunChanges = {}
  if (body.name !== undefined) {
    const name = parseName(body.name)
    if (name === null) throw new ApiError(400, 'The name must not be empty.')
    changes.name = name
  }
  if (body.note !== undefined) {
    if (Array.from(body.note).length > MAX_NOTE_LENGTH) {
      throw new ApiError(400, `The note is longer than ${MAX_NOTE_LENGTH} characters.`)
    }
    changes.note = body.note
  }
  return changes
}

function fileNotFound(count: number): ApiError {
  return new ApiError(
    404,
    `This run has ${count === 1 ? 'one uploaded file (0)' : `${count} uploaded files (0 to ${count - 1})`}.`,
  )
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
