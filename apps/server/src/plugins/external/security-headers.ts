import type { IncomingMessage, ServerResponse } from 'node:http'
import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet'
import fp from 'fastify-plugin'
import helmet from 'helmet'
import type { AppOptions } from '../app/config.ts'
import { buildContentSecurityPolicy } from '../../security-policy.ts'

// Security headers on every response (pages, API answers, downloads, errors, 404s), set by
// @fastify/helmet rather than by our own hook: helmet is maintained against browsers'
// changing rules (which headers to send, which to stop sending, e.g. X-XSS-Protection: 0),
// validates the policy we give it, and sets the headers in onRequest on the raw response, so
// they are there whatever answers later (a route, the error handler, the not-found handler).
//
// What each header is for is in apps/server/README.md ("Security headers").
export default fp<AppOptions>(
  async (fastify, { config }) => {
    const framed = config.frameAncestors.length > 0
    const options = {
      contentSecurityPolicy: {
        // Only our directives: helmet's defaults add `upgrade-insecure-requests`, which makes
        // browsers fetch the app's own files over https from a server that speaks plain http
        // (`http://myhost:8080` on a LAN), and allow inline styles.
        useDefaults: false,
        directives: buildContentSecurityPolicy(config.frameAncestors),
      },
      // frame-ancestors is the rule; X-Frame-Options is for browsers without it and can only
      // say DENY or SAMEORIGIN, so it is left out when FRAME_ANCESTORS allows someone.
      xFrameOptions: framed ? false : { action: 'deny' },
      // A run link is the permission to see the run: it must not leave in a Referer header.
      referrerPolicy: { policy: 'no-referrer' },
      // Pages opened from ours (and ours from others) get no handle on each other's window.
      crossOriginOpenerPolicy: { policy: 'same-origin' },
      // This server speaks plain http; HSTS belongs to the TLS proxy in front of it, if any,
      // which knows whether every subdomain is https (helmet's default says they all are).
      strictTransportSecurity: false,
    } satisfies FastifyHelmetOptions
    await fastify.register(fastifyHelmet, options)
    // Fastify answers a malformed URL (`/%zz`) before routing, so before any hook: that
    // answer (errors.ts, handleFrameworkError) sets the same headers through this.
    const setHeaders = helmet(options)
    fastify.decorate('setSecurityHeaders', (request: IncomingMessage, response: ServerResponse) =>
      setHeaders(request, response, () => {}),
    )
  },
  { name: 'security-headers' },
)

declare module 'fastify' {
  interface FastifyInstance {
    /** Sets the headers every response carries, on a response no hook has seen. */
    setSecurityHeaders(request: IncomingMessage, response: ServerResponse): void
  }
}
