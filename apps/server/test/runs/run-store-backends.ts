import { randomBytes } from 'node:crypto'
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DeleteObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3'
import { fixturePath } from '@profhub/fixtures'
import { readProfileDocument, seriesFunctionsOf } from '@profhub/profile'
import Database from 'better-sqlite3'
import pg from 'pg'
import { afterAll, beforeEach, onTestFinished } from 'vitest'
import { ProfileWorkers } from '../../src/converter/profile-workers.ts'
import { StatsTable } from '../../src/converter/stats-table.ts'
import type { BlobStore } from '../../src/runs/blob-store.ts'
import { PgBlobs } from '../../src/runs/pg-blobs.ts'
import { PgRunStore, type PgRunStoreOptions } from '../../src/runs/pg-run-store.ts'
import { emptyExtras, type RunExtras } from '../../src/runs/run-parts.ts'
import type { NewRun, RunStore } from '../../src/runs/run-store.ts'
import { SqliteRunStore } from '../../src/runs/sqlite-run-store.ts'
import {
  createDatabase,
  testPool,
  dropDatabase,
  stopOwnPostgres,
  testPostgresUrl,
} from '../services/postgres.ts'
import { createBucket, createTestS3Client } from '../services/s3.ts'
import { createS3Blobs, testS3Endpoint } from './blob-stores.ts'

// The backends the RunStore contract (run-store-contract.test.ts) runs against, each on fresh,
// empty storage per test, and what they share: the worker pool that builds stats tables and a
// temp dir per test (`testDir`) for DATA_DIRs, scratch dirs and uploads.

const workers = new ProfileWorkers()
afterAll(async () => {
  await workers.close()
  await stopOwnPostgres()
})

let root: string

/** This test's temp dir (removed after it). */
export function testDir(): string {
  return root
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'profhub-contract-'))
  onTestFinished(() => rm(root, { recursive: true, force: true }))
})

/** A converted upload of `fixtures` (one, or the inputs of a merge), as the upload route makes. */
export async function newRun(
  fixtures: string[],
  fields: { name?: string; labels?: Record<string, string>; extras?: RunExtras } = {},
): Promise<NewRun> {
  const uploads = path.join(testDir(), 'uploads')
  await mkdir(uploads, { recursive: true })
  const files = await Promise.all(
    fixtures.map(async (fixture) => {
      const file = path.join(uploads, `${randomBytes(8).toString('hex')}.upload`)
      await copyFile(fixturePath(`${fixture}.prof`), file)
      return { path: file, fileName: `${fixture}.prof`, fileSize: (await stat(file)).size }
    }),
  )
  const profilePath = path.join(uploads, `${randomBytes(8).toString('hex')}.json`)
  await copyFile(fixturePath(`${fixtures[0]}.json`), profilePath)
  const document = JSON.parse(await readFile(profilePath, 'utf8'))
  return {
    name: fields.name ?? fixtures[0]!,
    files,
    profile: {
      sourceFormat: document.sourceFormat,
      pythonVersion: document.pythonVersion,
      summary: document.summary,
    },
    profilePath,
    series: seriesFunctionsOf(readProfileDocument(document).functions),
    labels: fields.labels ?? {},
    extras: fields.extras ?? emptyExtras(),
  }
}

/** What a server gives its store: a scratch dir of its own and the worker pool. */
export async function storeOptions(): Promise<PgRunStoreOptions> {
  const scratchDir = path.join(root, `scratch-${randomBytes(4).toString('hex')}`)
  await mkdir(scratchDir, { recursive: true })
  return {
    cacheBytes: 64 * 1024 * 1024,
    scratchDir,
    async loadStatsTable(file) {
      const answer = await workers.run({ kind: 'table', path: file })
      if (answer.kind === 'table') return new StatsTable(answer.columns)
      if (answer.kind === 'missing') return null
      throw new Error(`profile worker: ${answer.kind}`)
    },
  }
}

/** One backend's storage for one test. */
export interface TestStorage {
  /** Opens a store on it (closed after the test): another server, or the same one restarted. */
  open(): Promise<RunStore>
  /** Whether two stores may be open on it at once (several servers on one database). */
  shared: boolean
  /** Every stored byte string's name: what a failed create must not leave behind. */
  storedNames(): Promise<string[]>
  /** Loses a run's compressed copy, as a crash before it was made would. */
  dropCompressedCopy(id: string): Promise<void>
  /** Makes a run as one stored before series rows were: no rows, not marked. */
  forgetSeries(id: string): Promise<void>
}

export interface Backend {
  name: string
  create(): Promise<TestStorage>
}

/** A store's database for a test, dropped after it. */
export async function testDatabase(): Promise<{ url: string; pool: pg.Pool }> {
  const url = await createDatabase(await testPostgresUrl())
  const pool = testPool(url)
  onTestFinished(async () => {
    await pool.end()
    await dropDatabase(url)
  })
  return { url, pool }
}

/**
 * Opens a PgRunStore on its own pool (as a server does), closed after the test; its blobs in
 * the database unless `blobs` says otherwise.
 */
export async function openPgStore(
  url: string,
  blobs: (pool: pg.Pool) => BlobStore = (pool) => new PgBlobs(pool),
): Promise<PgRunStore> {
  const pool = testPool(url)
  const store = await PgRunStore.open(pool, blobs(pool), await storeOptions()).catch(
    async (error: unknown) => {
      await pool.end()
      throw error
    },
  )
  onTestFinished(async () => {
    await store.close()
    await pool.end()
  })
  return store
}

async function forgetPgSeries(pool: pg.Pool, id: string): Promise<void> {
  await pool.query('DELETE FROM series_rows WHERE run_id = $1', [id])
  await pool.query('DELETE FROM series_packed WHERE run_id = $1', [id])
  await pool.query('UPDATE runs SET series_stored = false, series_root = NULL WHERE id = $1', [id])
}

/** Every backend under the contract; a new one (PostgreSQL + S3Blobs) is one more entry. */
export const backends: Backend[] = [
  {
    name: 'SQLite',
    async create() {
      const dataDir = path.join(root, 'data')
      return {
        shared: false,
        async open() {
          const store = await SqliteRunStore.open(dataDir, await storeOptions())
          onTestFinished(() => store.close())
          return store
        },
        async storedNames() {
          return (await readdir(path.join(dataDir, 'runs'), { recursive: true })).sort()
        },
        async dropCompressedCopy(id) {
          await rm(path.join(dataDir, 'runs', id, 'profile.json.br'))
        },
        async forgetSeries(id) {
          const db = new Database(path.join(dataDir, 'profhub.sqlite'))
          try {
            db.prepare('DELETE FROM series_rows WHERE run_id = ?').run(id)
            db.prepare('DELETE FROM series_packed WHERE run_id = ?').run(id)
            db.prepare('UPDATE runs SET series_stored = 0, series_root = NULL WHERE id = ?').run(id)
          } finally {
            db.close()
          }
        },
      }
    },
  },
  {
    name: 'PostgreSQL + PgBlobs',
    async create() {
      const { url, pool } = await testDatabase()
      return {
        shared: true,
        open: () => openPgStore(url),
        async storedNames() {
          const blobs = await pool.query<{ key: string }>('SELECT key FROM blobs ORDER BY key')
          const chunks = await pool.query(
            'SELECT 1 FROM blob_chunks WHERE key NOT IN (SELECT key FROM blobs)',
          )
          const pending = await pool.query<{ id: string }>('SELECT id FROM pending_runs')
          return [
            ...blobs.rows.map((row) => row.key),
            ...chunks.rows.map(() => 'a chunk without its blob'),
            ...pending.rows.map((row) => `pending ${row.id}`),
          ]
        },
        async dropCompressedCopy(id) {
          await pool.query('DELETE FROM blobs WHERE key = $1', [`runs/${id}/profile.json.br`])
        },
        forgetSeries: (id) => forgetPgSeries(pool, id),
      }
    },
  },
  {
    name: 'PostgreSQL + S3Blobs',
    async create() {
      const { url, pool } = await testDatabase()
      const endpoint = await testS3Endpoint()
      const bucket = await createBucket(endpoint)
      const client = createTestS3Client(endpoint)
      onTestFinished(() => client.destroy())
      return {
        shared: true,
        open: () => openPgStore(url, () => createS3Blobs(endpoint, bucket)),
        async storedNames() {
          const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }))
          const pending = await pool.query<{ id: string }>('SELECT id FROM pending_runs')
          return [
            ...(listed.Contents ?? []).map((object) => object.Key ?? '').sort(),
            ...pending.rows.map((row) => `pending ${row.id}`),
          ]
        },
        async dropCompressedCopy(id) {
          await client.send(
            new DeleteObjectCommand({ Bucket: bucket, Key: `runs/${id}/profile.json.br` }),
          )
        },
        forgetSeries: (id) => forgetPgSeries(pool, id),
      }
    },
  },
]
