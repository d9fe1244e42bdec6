import path from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import type { AppOptions } from '../app/config.ts'

// Serves apps/web/dist. Files are looked up per request, so `pnpm build` while the server runs
// is picked up, and a missing dist only logs a warning. Paths that are not files (deep links
// such as /runs/<id>) fall through to the not-found handler in app.ts, which answers with the
// SPA's index.html.
export default fp<AppOptions>(
  async (fastify, { config }) => {
    const assetsDir = path.join(config.webDist, 'assets') + path.sep
    await fastify.register(fastifyStatic, {
      root: config.webDist,
      dotfiles: 'ignore',
      cacheControl: false,
      // Vite's hashed bundles never change under a given name; everything else is revalidated.
      setHeaders(reply: FastifyReply, filePath: string) {
        const immutable = filePath.startsWith(assetsDir)
        reply.header(
          'cache-control',
          immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        )
      },
    })
  },
  { name: 'static' },
)

/**
 * @fastify/static refuses a path that is not in canonical form (`..`, `.` or empty segments,
 * `/api/runs/../../etc/passwd` sent as is) with a 403 before looking at the disk. Nothing is
 * there to forbid: no file outside the build is served either way, so the app's error handler
 * answers it as any other address with nothing behind it (the not-found handler: a 404 JSON
 * under /api and for file names, the SPA for other page paths), not a 403 that says "something
 * is here".
 */
export function isRefusedStaticPath(error: { code?: string }): boolean {
  return error.code === 'FST_STATIC_FORBIDDEN_PATH'
}
