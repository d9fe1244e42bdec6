import closeWithGrace from 'close-with-grace'
import Fastify, { LogController } from 'fastify'
import fp from 'fastify-plugin'
import profhubApp, { serverOptions } from './app.ts'
import { createLogger } from './logger.ts'
import { parseConfig } from './plugins/app/config.ts'
import { DataDirInUseError } from './runs/data-dir-lock.ts'
import { StoreUnavailableError } from './runs/run-store.ts'

// Starts profhub. `pnpm start` runs the compiled bundle (`node dist/server.js`, built by
// `pnpm build`); `pnpm --filter @profhub/server dev` runs this file with tsx and reloads on
// changes. Configuration is the environment; see README.md.

const config = parseConfig(process.env)

const app = Fastify({
  ...serverOptions,
  loggerInstance: createLogger(config),
  // Requests are logged in one line each by app.ts (at debug, or info for client errors),
  // instead of Fastify's two JSON objects per request.
  logController: new LogController({ disableRequestLogging: true }),
  // A 200 MB upload over a slow link takes minutes, and conversion up to two more; this
  // still ends connections that trickle forever.
  requestTimeout: 15 * 60_000,
  // No plugin may abort the start for being slow: on a machine whose every core is busy,
  // opening the store and starting the workers can take longer than Fastify's 10 s default,
  // and a server that gives up is worse than one that starts late.
  pluginTimeout: 0,
})

app.register(fp(profhubApp), { config })

closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
  if (err) app.log.error({ err }, 'closing after an error')
  else app.log.info(`closing (${signal})`)
  await app.close()
})

try {
  await app.listen({ port: config.port, host: config.host })
} catch (error) {
  // A DATA_DIR in use or a store that does not answer is the user's to fix, not a bug: its
  // message alone, on one line.
  if (error instanceof DataDirInUseError || error instanceof StoreUnavailableError) {
    app.log.error(error.message)
  } else app.log.error({ err: error }, 'could not start')
  process.exit(1)
}

const address = app.server.address()
const port = typeof address === 'object' && address !== null ? address.port : config.port
const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host
console.log(`profhub is running at http://${shownHost}:${port} (data in ${config.dataDir})`)
