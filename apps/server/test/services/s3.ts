import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3'
import { once } from './once.ts'

// The SDK warns once per process that its releases from 2027 need Node 22; that says nothing
// about these tests and would be printed in every test file that makes a client.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

/** The credentials s3rver accepts (it checks signatures against these). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }

/** The part of s3rver 3.7 used here (it ships no types). */
interface S3rverServer {
  run(): Promise<AddressInfo>
  close(): Promise<void>
}
type S3rverConstructor = new (options: {
  address: string
  port: number
  silent: boolean
  directory: string
  resetOnClose: boolean
}) => S3rverServer

export interface S3Service {
  /** `http://127.0.0.1:<port>`, for path-style requests. */
  endpoint: string
  /** Creates a bucket (a fresh unique name if none is given) and returns its name. */
  createBucket(name?: string): Promise<string>
  /** Stops the server and removes its files. */
  stop(): Promise<void>
}

let bucketCount = 0

/** s3rver (an S3 look-alike that keeps objects in files) on a free port, in a temp folder. */
export async function startS3(): Promise<S3Service> {
  const require = createRequire(import.meta.url)
  const S3rver = require('s3rver') as S3rverConstructor
  const directory = await mkdtemp(path.join(tmpdir(), 'profhub-s3-'))
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    resetOnClose: false,
  })
  let address: AddressInfo
  try {
    address = await server.run()
  } catch (error) {
    await rm(directory, { recursive: true, force: true })
    throw error
  }
  const endpoint = `http://127.0.0.1:${address.port}`
  return {
    endpoint,
    createBucket: (name) => createBucket(endpoint, name),
    // Once, however often it is called (a test may stop it before its clean-up does).
    stop: once(async () => {
      await server.close()
      await rm(directory, { recursive: true, force: true })
    }),
  }
}

/** A client for the s3rver at `endpoint` (path-style, its credentials). */
export function createTestS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
  })
}

/** Creates a bucket on the server at `endpoint`, by default with a fresh unique name. */
export async function createBucket(endpoint: string, name?: string): Promise<string> {
  bucketCount += 1
  const bucket = name ?? `profhub-test-${process.pid}-${bucketCount}-${Date.now().toString(36)}`
  const client = createTestS3Client(endpoint)
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }))
  } finally {
    client.destroy()
  }
  return bucket
}
