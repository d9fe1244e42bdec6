import closeWithGrace from 'close-with-grace'
import Fastify from 'fastify'
import fp from 'fastify-plugin'
import profhubApp, { serverOptions } from './app.ts'
import { parseConfig } from './plugins/app/config.ts'

// Starts profhub: `tsx src/server.ts` (`pnpm start` from the repository root builds the web
// app first). Configuration is the environment; see README.md.

const config = parseConfig(process.env)

const app = Fastify({
  ...serverOptions,
  logger: { level: config.logLevel },
  // A 200 MB upload over a slow link takes minutes, and conversion up to two more; this
  // still ends connections that trickle forever.
  requestTimeout: 15 * 60_000,
})

app.register(fp(profhubApp), { config })

closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
  if (err) app.log.error({ err }, 'closing after an error')
  else app.log.info({ signal }, 'closing')
  await app.close()
})

try {
  await app.listen({ port: config.port, host: config.host })
} catch (error) {
  app.log.error({ err: error }, 'could not start')
  process.exit(1)
}

const address = app.server.address()
const port = typeof address === 'object' && address !== null ? address.port : config.port
const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host
console.log(`profhub is running at http://${shownHost}:${port} (data in ${config.dataDir})`)
