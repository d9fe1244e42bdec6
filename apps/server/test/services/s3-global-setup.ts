import { startS3 } from './s3.ts'

/**
 * Vitest globalSetup: one s3rver for the whole run, shared by every test file through
 * `PROFHUB_TEST_S3_ENDPOINT` (tests make a fresh bucket each). An endpoint already set (an
 * s3rver started by hand, say) is used as it is.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.PROFHUB_TEST_S3_ENDPOINT) return undefined
  const s3 = await startS3()
  process.env.PROFHUB_TEST_S3_ENDPOINT = s3.endpoint
  return async () => {
    delete process.env.PROFHUB_TEST_S3_ENDPOINT
    await s3.stop()
  }
}
