import { readFileSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fixturePath, readSummary } from '@profhub/fixtures'
import Fastify, { type FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import pg from 'pg'
import { afterAll, expect, onTestFinished } from 'vitest'
import profhubApp, { serverOptions } from '../src/app.ts'
import { ProfileWorkers } from '../src/converter/profile-workers.ts'
import { parseConfig } from '../src/plugins/app/config.ts'
import { ListObjectsCommand } from '@aws-sdk/client-s3'
import {
  createDatabase,
  dropDatabase,
  stopOwnPostgres,
  testPostgresUrl,
} from './services/postgres.ts'
import { createBucket, createTestS3Client, S3RVER_CREDENTIALS } from './services/s3.ts'
import { testS3Endpoint } from './runs/blob-stores.ts'

/**
 * What pstats itself reports for a fixture (`NAME.summary.json`), as the API's summary.
 * totalTime is a float sum, and the shim may add in another order than pstats did (Python
 * 2.7 dicts have no fixed order): equal to 12 decimal places.
 */
export function expectedSummary(fixture: string) {
  const truth = readSummary(fixture)
  return {
    totalTime: expect.closeTo(truth.totalTime, 12),
    totalCalls: truth.totalCalls,
    primitiveCalls: truth.primitiveCalls,
    functionCount: truth.functionCount,
  }
}

export interface TestApp {
  app: FastifyInstance
  dataDir: string
}

// One pool of worker threads per test file: starting a worker (with tsx's loader) takes
// about half a second, too long to pay for every app a test builds.
let sharedWorkers: ProfileWorkers | undefined
afterAll(async () => {
  await sharedWorkers?.close()
  await stopOwnPostgres()
})

/** The database made for each DATA_DIR in this test: a restart on the same dir finds its runs. */
const databases = new Map<string, Record<string, string>>()

/**
 * The whole app on a fresh temp DATA_DIR (or `dataDir`, to test a restart), closed after the
 * test; the temp dir is removed too. `env` is read like the process environment. Runs are
 * stored where `PROFHUB_TEST_STORE` says (vitest.config.ts sets it per project): `sqlite` (the
 * default), `postgres` (a fresh database, the same one again for the same `dataDir`, dropped
 * after the test) or `postgres+s3` (that, and a fresh bucket of the run's s3rver). A test that
 * passes its own DATABASE_URL (`''`: the embedded store) keeps it.
 */
export async function build(env: Record<string, string> = {}, dataDir?: string): Promise<TestApp> {
  const dir = dataDir ?? (await mkdtemp(path.join(tmpdir(), 'profhub-test-')))
  const database = await testDatabase(env, dir)
  const app = Fastify(serverOptions)
  sharedWorkers ??= new ProfileWorkers()
  app.register(fp(profhubApp), {
    config: parseConfig({
      DATA_DIR: dir,
      WEB_DIST: path.join(dir, 'no-web-dist'),
      ...database,
      ...env,
    }),
    profileWorkers: sharedWorkers,
  })
  onTestFinished(async () => {
    await app.close()
    if (dataDir === undefined) await rm(dir, { recursive: true, force: true })
  })
  await app.ready()
  return { app, dataDir: dir }
}

/** The store's variables for a test app on `dir` (none: the embedded store). */
async function testDatabase(
  env: Record<string, string>,
  dir: string,
): Promise<Record<string, string>> {
  const store = process.env.PROFHUB_TEST_STORE ?? 'sqlite'
  if (store === 'sqlite' || env.DATABASE_URL !== undefined) return {}
  if (store !== 'postgres' && store !== 'postgres+s3') {
    throw new Error(`PROFHUB_TEST_STORE must be sqlite, postgres or postgres+s3, not ${store}`)
  }
  let known = databases.get(dir)
  if (known === undefined) {
    const url = await createDatabase(await testPostgresUrl())
    known = { DATABASE_URL: url }
    if (store === 'postgres+s3') {
      const endpoint = await testS3Endpoint()
      known = {
        ...known,
        S3_ENDPOINT: endpoint,
        S3_BUCKET: await createBucket(endpoint),
        AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      }
    }
    databases.set(dir, known)
    // Registered before the app's close: finished hooks run last-registered first.
    onTestFinished(async () => {
      databases.delete(dir)
      await dropDatabase(url)
    })
  }
  return known
}

/** A multipart body with `file` (and `name` if given), as a browser's FormData sends it. */
export function uploadForm(
  filePath: string,
  options: { name?: string; nameFirst?: boolean; fileName?: string } = {},
): FormData {
  const form = new FormData()
  const fileName = options.fileName ?? path.basename(filePath)
  const addName = () => options.name !== undefined && form.append('name', options.name)
  if (options.nameFirst) addName()
  form.append('file', new Blob([readFileSync(filePath)]), fileName)
  if (!options.nameFirst) addName()
  return form
}

export async function upload(
  app: FastifyInstance,
  filePath: string,
  options?: Parameters<typeof uploadForm>[1],
) {
  return app.inject({ method: 'POST', url: '/api/runs', payload: uploadForm(filePath, options) })
}

/** One request with several `file` parts (fixture names), and `mode` / `name` if given. */
export async function uploadMany(
  app: FastifyInstance,
  fixtures: string[],
  fields: { mode?: string; name?: string } = {},
) {
  const form = new FormData()
  if (fields.mode !== undefined) form.append('mode', fields.mode)
  for (const fixture of fixtures) {
    form.append('file', new Blob([readFileSync(fixturePath(fixture))]), fixture)
  }
  if (fields.name !== undefined) form.append('name', fields.name)
  return app.inject({ method: 'POST', url: '/api/runs', payload: form })
}

/** Uploads a fixture that must be accepted; returns the created run. */
export async function uploadRun(app: FastifyInstance, fixture: string, name?: string) {
  const response = await upload(app, fixturePath(fixture), { name })
  if (response.statusCode !== 201) throw new Error(`upload failed: ${response.body}`)
  return response.json() as { id: string; name: string; createdAt: string; url: string }
}

/**
 * Every file under DATA_DIR/runs and DATA_DIR/tmp, relative: a failed upload adds none. With
 * PostgreSQL, the blobs stand in for DATA_DIR/runs (their keys are `runs/<id>/<file>`, listed
 * with their `runs/<id>` as readdir lists directories), and uploads in progress count too.
 */
export async function listDataFiles(dataDir: string): Promise<string[]> {
  const database = databases.get(dataDir)
  const subs = database === undefined ? ['runs', 'tmp'] : ['tmp']
  const entries = await Promise.all(
    subs.map(async (sub) =>
      (await readdir(path.join(dataDir, sub), { recursive: true })).map((entry) =>
        path.join(sub, entry),
      ),
    ),
  )
  if (database !== undefined) entries.push(await listStoredBlobs(database))
  return entries.flat().sort()
}

async function listStoredBlobs(store: Record<string, string>): Promise<string[]> {
  const client = new pg.Client({ connectionString: store.DATABASE_URL })
  await client.connect()
  try {
    const keys =
      store.S3_BUCKET === undefined
        ? (await client.query<{ key: string }>('SELECT key FROM blobs')).rows.map((row) => row.key)
        : await listBucket(store.S3_ENDPOINT!, store.S3_BUCKET)
    const pending = await client.query<{ id: string }>('SELECT id FROM pending_runs')
    const dirs = new Set(keys.map((key) => path.posix.dirname(key)))
    return [...dirs, ...keys, ...pending.rows.map((row) => `pending upload ${row.id}`)]
  } finally {
    await client.end()
  }
}

async function listBucket(endpoint: string, bucket: string): Promise<string[]> {
  const client = createTestS3Client(endpoint)
  try {
    const keys: string[] = []
    let marker: string | undefined
    for (;;) {
      const page = await client.send(new ListObjectsCommand({ Bucket: bucket, Marker: marker }))
      const contents = page.Contents ?? []
      keys.push(...contents.flatMap((object) => (object.Key === undefined ? [] : [object.Key])))
      if (!page.IsTruncated || contents.length === 0) return keys
      marker = contents.at(-1)!.Key
    }
  } finally {
    client.destroy()
  }
}
