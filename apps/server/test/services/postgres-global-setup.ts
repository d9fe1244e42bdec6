import { startPostgres } from './postgres.ts'

/**
 * Vitest globalSetup: one PostgreSQL server for the whole run, shared by every test file
 * through `PROFHUB_TEST_POSTGRES_URL` (its admin URL; tests make a fresh database each). A URL
 * already set (a server started by hand, say) is used as it is.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.PROFHUB_TEST_POSTGRES_URL) return undefined
  const postgres = await startPostgres()
  process.env.PROFHUB_TEST_POSTGRES_URL = postgres.url
  return async () => {
    delete process.env.PROFHUB_TEST_POSTGRES_URL
    await postgres.stop()
  }
}
