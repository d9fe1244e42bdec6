import path from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import type { AppOptions } from '../../app.ts'

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
