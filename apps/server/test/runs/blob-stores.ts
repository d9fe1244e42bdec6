import { afterAll } from 'vitest'
import type { BlobStore } from '../../src/runs/blob-store.ts'
import { PgBlobs } from '../../src/runs/pg-blobs.ts'
import { migratePg } from '../../src/runs/pg-schema.ts'
import { createS3Client, S3Blobs } from '../../src/runs/s3-blobs.ts'
import type { ObjectStorageConfig } from '../../src/plugins/app/config.ts'
import {
  createDatabase,
  testPool,
  dropDatabase,
  stopOwnPostgres,
  testPostgresUrl,
} from '../services/postgres.ts'
import { createBucket, S3RVER_CREDENTIALS, type S3Service, startS3 } from '../services/s3.ts'

/** A blob store for one test, and how to remove what it made. */
export interface TestBlobs {
  blobs: BlobStore
  cleanup(): Promise<void>
}

/**
 * One `BlobStore` implementation under the contract (blob-store-contract.test.ts). Each
 * `create` gives an empty store of its own; `createUnreachable` (if the store has a server to
 * lose) gives one whose server is gone, to check that `ping` fails clearly and in bounded time.
 */
export interface BlobStoreImplementation {
  name: string
  create(): Promise<TestBlobs>
  createUnreachable?(): Promise<TestBlobs>
}

/** S3Blobs against s3rver: a fresh bucket per store; the unreachable one's server is stopped. */
export const s3rverBlobs = {
  name: 'S3Blobs (s3rver)',
  async create(): Promise<TestBlobs> {
    const endpoint = await testS3Endpoint()
    const blobs = createS3Blobs(endpoint, await createBucket(endpoint))
    return { blobs, cleanup: () => blobs.close() }
  },
  async createUnreachable(): Promise<TestBlobs> {
    const s3 = await startS3()
    const blobs = createS3Blobs(s3.endpoint, await s3.createBucket())
    await s3.stop()
    return { blobs, cleanup: () => blobs.close() }
  },
} satisfies BlobStoreImplementation

/** PgBlobs in a fresh PostgreSQL database (migrated as a server would). */
export const postgresBlobs = {
  name: 'PgBlobs (PostgreSQL)',
  async create(): Promise<TestBlobs> {
    const url = await createDatabase(await testPostgresUrl())
    const pool = testPool(url)
    await migratePg(pool)
    const blobs = new PgBlobs(pool)
    return {
      blobs,
      async cleanup() {
        await blobs.close()
        await pool.end()
        await dropDatabase(url)
      },
    }
  },
} satisfies BlobStoreImplementation

/** Every implementation the contract runs against; a new store adds its entry here. */
export const blobStoreImplementations: BlobStoreImplementation[] = [s3rverBlobs, postgresBlobs]

/** S3Blobs as the server makes it (timeouts, checksums), with s3rver's credentials. */
export function createS3Blobs(endpoint: string, bucket: string): S3Blobs {
  const config: ObjectStorageConfig = {
    endpoint,
    bucket,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
  }
  return new S3Blobs(config, createS3Client(config))
}

let ownS3: Promise<S3Service> | undefined

/**
 * The s3rver of the whole run (`PROFHUB_TEST_S3_ENDPOINT`, set by services/s3-global-setup.ts),
 * else one started for this test file on first use and stopped after it.
 */
export async function testS3Endpoint(): Promise<string> {
  const shared = process.env.PROFHUB_TEST_S3_ENDPOINT
  if (shared) return shared
  ownS3 ??= startS3()
  return (await ownS3).endpoint
}

afterAll(async () => {
  await stopOwnPostgres()
  if (ownS3) await (await ownS3).stop()
  ownS3 = undefined
})
