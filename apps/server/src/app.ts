import { access } from 'node:fs/promises'
import { STATUS_CODES } from 'node:http'
import path from 'node:path'
import autoload from '@fastify/autoload'
import type {
  FastifyError,
  FastifyInstance,
  FastifyPluginOptions,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
} from 'fastify'
import { INTERNAL_ERROR_BODY, isApiError } from './errors.ts'
import { profilePreloads } from './page-preloads.ts'
import { formatValidationMessage } from './format-validation-message.ts'
import type { ProfileWorkers } from './converter/profile-workers.ts'
import { type AppConfig, parseConfig } from './plugins/app/config.ts'

export interface AppOptions extends FastifyPluginOptions {
  config: AppConfig
  /** Worker threads to share with other app instances (tests); the app starts its own if not. */
  profileWorkers?: ProfileWorkers
}

/** Fastify options the app relies on; server.ts adds the logger and timeouts. */
export const serverOptions = {
  // Only PATCH takes a JSON body (a name); uploads are multipart and have their own limit.
  bodyLimit: 64 * 1024,
  trustProxy: false,
  ajv: { customOptions: { coerceTypes: 'array', removeAdditional: 'all' } },
} satisfies FastifyServerOptions

/**
 * The whole server as one plugin (register it with fastify-plugin): third-party plugins, then
 * our decorators (config, converter, run store), then the routes, which autoload mounts by
 * folder (`routes/api/runs/index.ts` → `/api/runs`).
 */
export default async function profhubApp(
  fastify: FastifyInstance,
  opts: Partial<AppOptions>,
): Promise<void> {
  const options: AppOptions = {
    config: opts.config ?? parseConfig(),
    profileWorkers: opts.profileWorkers,
  }

  await fastify.register(autoload, {
    dir: path.join(import.meta.dirname, 'plugins/external'),
    options,
  })
  fastify.register(autoload, { dir: path.join(import.meta.dirname, 'plugins/app'), options })
  fastify.register(autoload, { dir: path.join(import.meta.dirname, 'routes'), options })

  fastify.addHook('onRequest', async (_request, reply) => {
    // Run names and profile contents are untrusted text: never let a browser guess a type.
    reply.header('x-content-type-options', 'nosniff')
  })
  fastify.setErrorHandler(handleError)
  fastify.setNotFoundHandler((request, reply) => handleNotFound(options.config, request, reply))
}

function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = isHttpStatus(error.statusCode) ? error.statusCode : 500
  reply.code(status).type('application/json; charset=utf-8')
  if (status >= 500) {
    request.log.error({ err: error }, 'request failed')
    // Only messages we wrote for people are shown; anything else might carry a path or a stack.
    return isApiError(error) ? { error: error.title, message: error.message } : INTERNAL_ERROR_BODY
  }
  request.log.info({ err: error }, 'request rejected')
  if (isApiError(error)) return { error: error.title, message: error.message }
  return { error: STATUS_CODES[status] ?? 'Error', message: formatClientErrorMessage(error) }
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
    return reply.code(404).send({
      error: 'Not Found',
      message: isApi
        ? 'There is no such API endpoint. The README lists them.'
        : 'There is nothing at this address.',
    })
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
