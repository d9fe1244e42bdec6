import { describe, expect, it, onTestFinished } from 'vitest'
import { build } from '../../helper.ts'
import { createDatabase, startPostgres } from '../../services/postgres.ts'
import { S3RVER_CREDENTIALS, startS3 } from '../../services/s3.ts'

/** Where the test apps of this project keep runs (vitest.config.ts's PROFHUB_TEST_STORE). */
const STORE = {
  sqlite: { runs: 'sqlite', blobs: 'files' },
  postgres: { runs: 'postgresql', blobs: 'postgresql' },
  'postgres+s3': { runs: 'postgresql', blobs: 's3' },
}[process.env.PROFHUB_TEST_STORE ?? 'sqlite']

describe('GET /api/health', () => {
  it('is ok once the store is open and the shim answers', async () => {
    const { app } = await build()
    const response = await app.inject('/api/health')

    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({
      status: 'ok',
      store: STORE,
      eventLoop: {
        maxDelayMs: expect.any(Number),
        windowSeconds: 60,
        perSecondMs: expect.any(Array),
      },
    })
  })

  it('reports how long the event loop was blocked lately', async () => {
    const { app } = await build()
    // Ready: the watch starts with the app.
    expect((await app.inject('/api/health')).statusCode).toBe(200)
    const blockedMs = 300
    const start = performance.now()
    while (performance.now() - start < blockedMs);
    // The watch samples with a 10 ms timer: the block shows once that timer has run after it.
    await expect
      .poll(async () => (await app.inject('/api/health')).json().eventLoop.maxDelayMs)
      .toBeGreaterThanOrEqual(blockedMs - 20)
  })

  it('is a 503 that names no path when Python cannot run', async () => {
    const { app } = await build({ PYTHON: '/nonexistent/python3' })
    const response = await app.inject('/api/health')

    expect(response.statusCode).toBe(503)
    expect(response.json()).toEqual({ error: 'Service Unavailable', message: expect.any(String) })
    expect(response.body).not.toMatch(/nonexistent/)
  })

  it('is a 503 once the object store, then the database, stops answering', async () => {
    const postgres = await startPostgres()
    onTestFinished(() => postgres.stop())
    const s3 = await startS3()
    onTestFinished(() => s3.stop())
    const { app } = await build({
      DATABASE_URL: await createDatabase(postgres.url),
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: await s3.createBucket(),
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    })
    const ok = await app.inject('/api/health')
    expect(ok.statusCode).toBe(200)
    expect(ok.json().store).toEqual({ runs: 'postgresql', blobs: 's3' })

    const unavailable = {
      error: 'Service Unavailable',
      message:
        'The run store is not available (its PostgreSQL database or object storage does not answer): see the server log.',
    }
    await s3.stop()
    const noObjects = await app.inject('/api/health')
    expect([noObjects.statusCode, noObjects.json()]).toEqual([503, unavailable])
    await postgres.stop()
    const noDatabase = await app.inject('/api/health')
    expect([noDatabase.statusCode, noDatabase.json()]).toEqual([503, unavailable])
  })
})
