import fp from 'fastify-plugin'
import pg from 'pg'
import type { BlobStore } from '../../runs/blob-store.ts'
import { lockDataDir } from '../../runs/data-dir-lock.ts'
import { PgBlobs } from '../../runs/pg-blobs.ts'
import { PgRunStore, type PgRunStoreOptions } from '../../runs/pg-run-store.ts'
import { resetUploadDirectory } from '../../runs/receive-upload.ts'
import { type RunStore, StoreUnavailableError } from '../../runs/run-store.ts'
import { openS3Blobs } from '../../runs/s3-blobs.ts'
import { SqliteRunStore } from '../../runs/sqlite-run-store.ts'
import { StatsTable } from '../../converter/stats-table.ts'
import { unexpectedAnswer } from '../../converter/profile-workers.ts'

const CONNECT_TIMEOUT_MS = 10_000

declare module 'fastify' {
  interface FastifyInstance {
    runStore: RunStore
  }
}

export default fp(
  async (fastify) => {
    const { config } = fastify
    // First, before anything in DATA_DIR is touched: a second server would delete the
    // uploads the first one is receiving. Throws (the start fails) if another server holds it.
    // With a database, DATA_DIR still holds this server's upload temp files.
    const lock = lockDataDir(config.dataDir)
    let store: RunStore
    let pool: pg.Pool | null = null
    try {
      // Uploads cut off by a restart are garbage: no other server is using them (the lock).
      await resetUploadDirectory(config.uploadDir)
      if (config.databaseUrl === null) {
        store = await SqliteRunStore.open(config.dataDir, storeOptions())
      } else {
        // A database that does not answer fails a request (and /api/health) rather than hang it.
        pool = new pg.Pool({
          connectionString: config.databaseUrl,
          connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        })
        // An idle connection the database drops is replaced; unhandled, it would end the process.
        pool.on('error', (error) => fastify.log.error({ err: error }, 'PostgreSQL connection lost'))
        store = await openPgStore(pool)
      }
    } catch (error) {
      await pool?.end().catch(() => {})
      lock.release()
      throw error
    }
    fastify.decorate('runStore', store)
    fastify.addHook('onClose', async () => {
      try {
        await store.close()
      } finally {
        await pool?.end()
        lock.release()
      }
    })

    async function openPgStore(pool: pg.Pool): Promise<PgRunStore> {
      // The one place where the blob store is chosen: an object store if configured.
      const blobs: BlobStore =
        config.objectStorage === null
          ? new PgBlobs(pool)
          : await openS3Blobs(config.objectStorage).catch((error: unknown) => {
              throw new StoreUnavailableError(
                `${(error as Error).message} (S3_ENDPOINT, S3_BUCKET)`,
                { cause: error },
              )
            })
      try {
        return await PgRunStore.open(pool, blobs, storeOptions())
      } catch (error) {
        await blobs.close()
        throw new StoreUnavailableError(
          `The PostgreSQL database ${describeDatabase(config.databaseUrl!)} cannot be used: ${(error as Error).message}`,
          { cause: error },
        )
      }
    }

    function storeOptions(): PgRunStoreOptions {
      return {
        cacheBytes: config.profileCacheBytes,
        scratchDir: config.uploadDir,
        async loadStatsTable(file) {
          const answer = await fastify.profileWorkers.run({ kind: 'table', path: file })
          if (answer.kind === 'table') return new StatsTable(answer.columns)
          if (answer.kind === 'missing') return null
          throw unexpectedAnswer(answer)
        },
      }
    }
  },
  { name: 'run-store', dependencies: ['config', 'profile-workers'] },
)

/** `host:port/database` of DATABASE_URL, for a message: never its user or password. */
function describeDatabase(url: string): string {
  try {
    const { hostname, port, pathname } = new URL(url)
    return `at ${hostname}:${port || 5432}${pathname} (DATABASE_URL)`
  } catch {
    return 'of DATABASE_URL'
  }
}
