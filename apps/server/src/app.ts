import { randomUUID } from 'node:crypto'
import { access } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { STATUS_CODES } from 'node:http'
import path from 'node:path'
import compress from '@fastify/compress'
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
} from 'fastify'
import { handleFrameworkError, INTERNAL_ERROR_BODY, isApiError } from './errors.ts'
import { profilePreloads } from './page-preloads.ts'
import { formatValidationMessage } from './format-validation-message.ts'
import accessPlugin from './plugins/app/access.ts'
import configPlugin, { type AppConfig, type AppOptions, parseConfig } from './plugins/app/config.ts'
import profileWorkersPlugin from './plugins/app/profile-workers.ts'
import pstatsConverterPlugin from './plugins/app/pstats-converter.ts'
import runStorePlugin from './plugins/app/run-store.ts'
import runUploadsPlugin from './plugins/app/run-uploads.ts'
import seriesBackfillPlugin from './plugins/app/series-backfill.ts'
import seriesPlugin from './plugins/app/series.ts'
import apiDocsPlugin from './plugins/external/api-docs.ts'
import { autoConfig as compressOptions } from './plugins/external/compress.ts'
import multipartPlugin from './plugins/external/multipart.ts'
import securityHeadersPlugin from './plugins/external/security-headers.ts'
import sensiblePlugin from './plugins/external/sensible.ts'
import staticPlugin, { isRefusedStaticPath } from './plugins/external/static.ts'
import healthRoutes from './routes/api/health.ts'
import runsRoutes from './routes/api/runs/index.ts'
import seriesRoutes from './routes/api/series.ts'
import profhubPyRoute from './routes/profhub-py.ts'

/** Fastify options the app relies on; server.ts adds the logger and timeouts. */
export const serverOptions = {
  // Only PATCH takes a JSON body (a name); uploads are multipart and have their own limit.
  bodyLimit: 64 * 1024,
  trustProxy: false,
  ajv: { customOptions: { coerceTypes: 'array', removeAdditional: 'all' } },
  // The validators that pick a branch of a union (a run's `environment.git`, nullable fields)
  // are compiled at start, not by the first answer that needs one: that compile was a 50–80 ms
  // stall of the event loop under load.
  serializerOpts: { compileValidators: true },
  // A malformed URL (`/%zz`) gets our headers and `{error, message}` body, not Fastify's own.
  frameworkErrors: handleFrameworkError,
  // Request ids unique across servers (JSON log lines carry them as `reqId`), or the one a load
  // balancer sent; answered in `X-Request-Id`.
  requestIdHeader: false,
  genReqId: requestIdOf,
} satisfies FastifyServerOptions

/** A sent `X-Request-Id` of plain characters (≤ 128) is kept; anything else gets a UUID. */
function requestIdOf(request: IncomingMessage): string {
  const sent = request.headers['x-request-id']
  return typeof sent === 'string' && /^[\w.:-]{1,128}$/.test(sent) ? sent : randomUUID()
}

/**
 * The whole server as one plugin (register it with fastify-plugin): third-party plugins, then
 * our decorators (config, worker threads, converter, run store, uploads), then the routes. Listed here
 * rather than found by scanning folders: the compiled server is one bundled file (dist/), which
 * starts without reading or compiling any other module of ours.
 */
export default async function profhubApp(
  fastify: FastifyInstance,
  opts: Partial<AppOptions>,
): Promise<void> {
  const options: AppOptions = {
    config: opts.config ?? parseConfig(),
    profileWorkers: opts.profileWorkers,
  }

  // Hooks and handlers first: plugins registered below inherit them.
  // One line per answered request, at debug: the default level (info) shows only client
  // errors (one line each, from handleError) and server errors (with their stack).
  fastify.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode < 400) {
      request.log.debug(formatRequestLine(request, reply.statusCode, reply.elapsedTime))
    }
  })
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  // Stopping (SIGTERM): requests under way are finished, and their connections then closed
  // rather than kept alive, so that the close does not wait for clients to hang up.
  let closing = false
  fastify.addHook('preClose', async () => {
    closing = true
  })
  fastify.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close')
  })
  fastify.setErrorHandler(handleError)
  fastify.setNotFoundHandler((request, reply) => handleNotFound(options.config, request, reply))

  await fastify.register(securityHeadersPlugin, options)
  await fastify.register(accessPlugin, options)
  await fastify.register(compress, compressOptions)
  await fastify.register(multipartPlugin, options)
  await fastify.register(sensiblePlugin)
  await fastify.register(staticPlugin, options)
  await fastify.register(apiDocsPlugin)

  await fastify.register(configPlugin, options)
  await fastify.register(profileWorkersPlugin, options)
  await fastify.register(pstatsConverterPlugin, options)
  await fastify.register(runStorePlugin, options)
  await fastify.register(runUploadsPlugin)
  await fastify.register(seriesBackfillPlugin)
  await fastify.register(seriesPlugin)

  await fastify.register(healthRoutes, { prefix: '/api' })
  await fastify.register(runsRoutes, { prefix: '/api/runs' })
  await fastify.register(seriesRoutes, { prefix: '/api/series' })
  await fastify.register(profhubPyRoute)
}

function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (isRefusedStaticPath(error)) {
    // Not `return reply…`: Fastify would wait on the reply as a promise, once per layer.
    reply.callNotFound()
    return
  }
  const status = isHttpStatus(error.statusCode) ? error.statusCode : 500
  reply.code(status).type('application/json; charset=utf-8')
  if (status >= 500) {
    request.log.error({ err: error }, formatRequestLine(request, status))
    // Only messages we wrote for people are shown; anything else might carry a path or a stack.
    return isApiError(error) ? { error: error.title, message: error.message } : INTERNAL_ERROR_BODY
  }
  const body = isApiError(error)
    ? { error: error.title, message: error.message }
    : { error: STATUS_CODES[status] ?? 'Error', message: formatClientErrorMessage(error) }
  request.log.info(
    escapeControls(`${formatRequestLine(request, status)} ${body.error}: ${body.message}`),
  )
  return body
}

/**
 * `GET /api/runs/x 200 3 ms`, for the log. Messages can quote untrusted text (file names):
 * control characters are escaped so that a name cannot forge log lines.
 */
function formatRequestLine(request: FastifyRequest, status: number, elapsedMs?: number): string {
  const time = elapsedMs === undefined ? '' : ` ${Math.round(elapsedMs)} ms`
  return escapeControls(`${request.method} ${request.url} ${status}${time}`)
}

function escapeControls(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

function isHttpStatus(code: unknown): code is number {
  return typeof code === 'number' && Number.isInteger(code) && code >= 400 && code <= 599
}

function formatClientErrorMessage(error: FastifyError): string {
  if (error.validation) return formatValidationMessage(error.validation, error.validationContext)
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'This content type is not accepted: upload profiles as multipart/form-data (field "file") and send other request bodies as JSON.'
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is too large.'
    default:
      return error.message
  }
}

async function handleNotFound(config: AppConfig, request: FastifyRequest, reply: FastifyReply) {
  const pathname = request.url.split('?', 1)[0] ?? '/'
  const isApi = pathname === '/api' || pathname.startsWith('/api/')
  const isPage = request.method === 'GET' || request.method === 'HEAD'
  // Deep links (/runs/<id>, /compare/…) are the SPA's; a missing file (favicon.png) is not.
  if (isApi || !isPage || path.extname(pathname) !== '') {
    const body = {
      error: 'Not Found',
      message: isApi
        ? 'There is no such API endpoint: /api/docs lists them.'
        : 'There is nothing at this address.',
    }
    request.log.info(escapeControls(`${formatRequestLine(request, 404)} ${body.message}`))
    return reply.code(404).send(body)
  }
  try {
    await access(path.join(config.webDist, 'index.html'))
  } catch {
    return reply
      .code(503)
      .type('text/plain; charset=utf-8')
      .send(
        'The profhub web app is not built yet: run `pnpm build` (or `pnpm start`), then reload.\n',
      )
  }
  const preloads = profilePreloads(pathname)
  if (preloads !== null) reply.header('link', preloads)
  return reply.header('cache-control', 'no-cache').sendFile('index.html')
}
