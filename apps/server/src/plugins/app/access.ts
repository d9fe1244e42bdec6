import type { AddressInfo } from 'node:net'
// 11.2.0, pinned exactly: the release line for Fastify 5 (10.x and later; 7–9 were Fastify 4),
// with no `engines` floor above Node 20 in it or its dependencies, and the first whose default
// key folds an IPv6 client's /64 into one key (we build our key with its normalizeIP).
import rateLimit, { normalizeIP } from '@fastify/rate-limit'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { isWildcardAddress } from '../../access/access-config.ts'
import {
  hostNameOf,
  isAllowedHost,
  isAllowedOrigin,
  isStateChanging,
  needsToken,
} from '../../access/request-rules.ts'
import { createTokenMatcher } from '../../access/tokens.ts'
import type { AppOptions } from './config.ts'
import { ApiError } from '../../errors.ts'

// Who may do what (apps/server/README.md, "Running it for a team"), checked in onRequest,
// before any body is read: the Host name (DNS rebinding), a browser's Origin on requests that
// change something (cross-site forms and scripts), the bearer token when AUTH_TOKEN is set,
// and the per-client upload rate. Register it before the routes and the static files, so that
// its hook covers them all.

const TOKEN_HELP =
  'Pass it with --token or PROFHUB_TOKEN (profhub, profhub.py), or enter it when the web app asks for the access token.'

const UPLOAD_WINDOW_MS = 60_000

export default fp<AppOptions>(
  async (fastify, { config }) => {
    const hosts = config.allowedHosts
    const matchToken = createTokenMatcher(config.authTokens)
    const authOn = config.authTokens.length > 0
    /** The token each authorised request used (its index): part of the rate limit's key. */
    const tokenOf = new WeakMap<FastifyRequest, number>()

    await fastify.register(rateLimit, { global: false })
    const limitUploads =
      config.uploadRateLimit > 0
        ? fastify.rateLimit({
            max: config.uploadRateLimit,
            timeWindow: UPLOAD_WINDOW_MS,
            keyGenerator: (request) =>
              `${normalizeIP(request.ip)} ${tokenOf.get(request) ?? 'no-token'}`,
            errorResponseBuilder: (_request, context) =>
              new ApiError(
                429,
                `Too many uploads from this client: at most ${context.max} a minute. Try again in ${context.after}.`,
              ),
          })
        : null

    fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const host = request.headers.host
      if (!isAllowedHost(hosts, host)) {
        const name = hostNameOf(host)
        throw new ApiError(
          421,
          name === null
            ? 'The request has no valid Host header.'
            : `This server does not answer to the name "${name.slice(0, 100)}". Open it as localhost, or ask its administrator to add the name to ALLOWED_HOSTS.`,
          'Unknown Host',
        )
      }
      if (isStateChanging(request.method)) {
        if (!isAllowedOrigin(request.headers.origin, host, hosts.listed)) {
          throw new ApiError(
            403,
            'This request came from a page of another site, which may not change anything here. Open profhub at its own address and try again.',
            'Foreign Origin',
          )
        }
      }
      if (authOn && needsToken(request.method, request.routeOptions.url)) {
        const authorization = request.headers.authorization
        const token = matchToken(authorization)
        if (token === null) {
          const sent = authorization !== undefined && authorization !== ''
          reply.header(
            'www-authenticate',
            sent ? 'Bearer realm="profhub", error="invalid_token"' : 'Bearer realm="profhub"',
          )
          throw sent
            ? new ApiError(
                401,
                `The access token was not accepted: check it and send it again. ${TOKEN_HELP}`,
                'Token Refused',
              )
            : new ApiError(
                401,
                `This server needs an access token. ${TOKEN_HELP}`,
                'Token Required',
              )
        }
        tokenOf.set(request, token)
      }
      if (limitUploads !== null && isUpload(request)) {
        await limitUploads.call(fastify, request, reply)
      }
    })

    fastify.addHook('onListen', async () => {
      const address = fastify.server.address() as AddressInfo | null
      if (address === null || typeof address !== 'object' || isLoopback(address.address)) return
      if (!authOn) {
        fastify.log.warn(
          `NO ACCESS TOKEN: this server listens on ${address.address}, and anyone who can reach it can list, change and delete every run. Set AUTH_TOKEN (or AUTH_TOKEN_FILE) to require a token, or HOST=127.0.0.1 to keep it on this machine.`,
        )
      }
      if (isWildcardAddress(address.address) && !hosts.any && hosts.listed.length === 0) {
        fastify.log.warn(
          `Only the names ${hosts.names.join(', ')} are answered: set ALLOWED_HOSTS to the names people use to reach this server (or * behind a proxy that checks them).`,
        )
      }
    })
  },
  { name: 'access' },
)

/** POST /api/runs (by the matched route, so that another spelling of the path counts too). */
function isUpload(request: FastifyRequest): boolean {
  const route = request.routeOptions.url
  return request.method === 'POST' && (route === '/api/runs' || route === '/api/runs/')
}

function isLoopback(address: string): boolean {
  return address === '::1' || /^(::ffff:)?127\./.test(address)
}
