import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest'
import type { BlobStore } from '../../src/runs/blob-store.ts'
import { openS3Blobs } from '../../src/runs/s3-blobs.ts'
import {
  blobStoreImplementations,
  createS3Blobs,
  s3rverBlobs,
  testS3Endpoint,
} from './blob-stores.ts'
import { createBucket, S3RVER_CREDENTIALS } from '../services/s3.ts'

/** A failing `ping` settles well within this, retries included (it must not hang a request). */
const PING_BOUND_MS = 60_000

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'profhub-blobs-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks)
}

async function readBlob(blobs: BlobStore, key: string): Promise<Buffer | null> {
  const blob = await blobs.open(key)
  if (blob === null) return null
  const bytes = await readAll(blob.stream)
  expect(blob.size).toBe(bytes.length)
  return bytes
}

/** Compares large contents in short: a SHA-256 of each (null stays null). */
function digest(bytes: Uint8Array | null): string | null {
  return bytes && createHash('sha256').update(bytes).digest('hex')
}

async function writeTempFile(name: string, bytes: Uint8Array): Promise<string> {
  const file = path.join(dir, name)
  await writeFile(file, bytes)
  return file
}

/** Runs `work` on each item, `limit` at a time. */
async function inBatches<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  for (let start = 0; start < items.length; start += limit) {
    await Promise.all(items.slice(start, start + limit).map(work))
  }
}

async function failureOf(promise: Promise<unknown>): Promise<{ error: Error; ms: number }> {
  const started = performance.now()
  let error: unknown = 'it resolved'
  try {
    await promise
  } catch (caught) {
    error = caught
  }
  expect(error).toBeInstanceOf(Error)
  return { error: error as Error, ms: performance.now() - started }
}

describe.each(blobStoreImplementations)('BlobStore contract: $name', (implementation) => {
  let blobs: BlobStore

  beforeEach(async () => {
    const made = await implementation.create()
    blobs = made.blobs
    onTestFinished(() => made.cleanup())
  })

  it('gives back a stored file byte for byte, and leaves the file in place', async () => {
    const bytes = Buffer.from('\x00\x01binary\xff\r\n text', 'latin1')
    const file = await writeTempFile('original.prof', bytes)
    await blobs.putFile('runs/r1/original.prof', file)
    expect(await readBlob(blobs, 'runs/r1/original.prof')).toEqual(bytes)
    expect(await readFile(file)).toEqual(bytes)
  })

  it('stores a multi-MB file and an empty one', async () => {
    const big = randomBytes(6 * 1024 * 1024 + 3)
    await blobs.putFile('runs/r2/profile.json', await writeTempFile('big', big))
    await blobs.putFile('runs/r2/empty.json', await writeTempFile('empty', new Uint8Array()))
    expect((await readBlob(blobs, 'runs/r2/profile.json'))?.equals(big)).toBe(true)
    expect(await readBlob(blobs, 'runs/r2/empty.json')).toEqual(Buffer.alloc(0))
  })

  it('stores bytes', async () => {
    const bytes = new TextEncoder().encode('{"formatVersion":1,"files":[]}')
    await blobs.putBytes('runs/r3/source.json', bytes)
    await blobs.putBytes('runs/r3/memory.json', new Uint8Array())
    expect(await readBlob(blobs, 'runs/r3/source.json')).toEqual(Buffer.from(bytes))
    expect(await readBlob(blobs, 'runs/r3/memory.json')).toEqual(Buffer.alloc(0))
  })

  it('opens a missing key as null', async () => {
    expect(await blobs.open('runs/none/profile.json')).toBeNull()
    await blobs.putBytes('runs/r4/profile.json', new Uint8Array([1]))
    expect(await blobs.open('runs/r4/profile.json.br')).toBeNull()
    expect(await blobs.open('runs/r4/')).toBeNull()
  })

  it('deletes exactly the keys under a prefix', async () => {
    const keys = ['runs/a/original.prof', 'runs/a/deep/part', 'runs/ab/original.prof', 'runs/b/a/x']
    for (const key of keys) await blobs.putBytes(key, new TextEncoder().encode(key))
    await blobs.deletePrefix('runs/a/')
    expect(await blobs.open('runs/a/original.prof')).toBeNull()
    expect(await blobs.open('runs/a/deep/part')).toBeNull()
    expect((await readBlob(blobs, 'runs/ab/original.prof'))?.toString()).toBe(
      'runs/ab/original.prof',
    )
    expect((await readBlob(blobs, 'runs/b/a/x'))?.toString()).toBe('runs/b/a/x')
    await blobs.deletePrefix('runs/a/')
    await blobs.deletePrefix('runs/never/')
  })

  it('deletes more keys under a prefix than one listing page holds (1,000)', async () => {
    const keys = Array.from(
      { length: 1_050 },
      (_, i) => `runs/many/part-${String(i).padStart(4, '0')}`,
    )
    await inBatches(keys, 25, (key) => blobs.putBytes(key, new Uint8Array([7])))
    await blobs.putBytes('runs/many-other/part', new Uint8Array([8]))
    await blobs.deletePrefix('runs/many/')
    const left: string[] = []
    await inBatches(keys, 25, async (key) => {
      if ((await blobs.open(key)) !== null) left.push(key)
    })
    expect(left).toEqual([])
    expect(await readBlob(blobs, 'runs/many-other/part')).toEqual(Buffer.from([8]))
  })

  it('takes concurrent puts', async () => {
    const contents = Array.from({ length: 24 }, (_, i) => randomBytes(1000 + i * 4099))
    await Promise.all(
      contents.map(async (bytes, i) =>
        i % 2 === 0
          ? blobs.putFile(`runs/c${i}/original.prof`, await writeTempFile(`c${i}`, bytes))
          : blobs.putBytes(`runs/c${i}/original.prof`, bytes),
      ),
    )
    const read = await Promise.all(
      contents.map((_, i) => readBlob(blobs, `runs/c${i}/original.prof`)),
    )
    expect(read.map(digest)).toEqual(contents.map(digest))
  })

  it('pings', async () => {
    await expect(blobs.ping()).resolves.toBeUndefined()
  })

  const { createUnreachable } = implementation
  if (createUnreachable) {
    it('fails ping within a bounded time when its server is gone', async () => {
      const made = await createUnreachable()
      onTestFinished(() => made.cleanup())
      const { error, ms } = await failureOf(made.blobs.ping())
      expect(error.message).not.toBe('')
      expect(ms).toBeLessThan(PING_BOUND_MS)
    })
  }
})

/** A TCP server on a free port for this test, closed (with its connections) after it. */
async function startTcpServer(onConnection: (socket: Socket) => void): Promise<number> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    onConnection(socket)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onTestFinished(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => server.close(resolve))
  })
  return (server.address() as AddressInfo).port
}

describe('S3Blobs', () => {
  let endpoint: string

  beforeEach(async () => {
    endpoint = await testS3Endpoint()
  })

  function where(s3Endpoint: string, bucket: string): string {
    return `${s3Endpoint} bucket "${bucket}"`
  }

  it('names the endpoint and bucket when its server is gone', async () => {
    const made = await s3rverBlobs.createUnreachable()
    onTestFinished(() => made.cleanup())
    const { error } = await failureOf(made.blobs.ping())
    expect(error.message).toMatch(
      /^object storage http:\/\/127\.0\.0\.1:\d+ bucket "profhub-test-[^"]+" cannot be used: .*ECONNREFUSED/,
    )
  })

  it('says that the bucket does not exist', async () => {
    const blobs = createS3Blobs(endpoint, 'profhub-no-such-bucket')
    onTestFinished(() => blobs.close())
    const { error } = await failureOf(blobs.ping())
    expect(error.message).toBe(
      `object storage ${where(endpoint, 'profhub-no-such-bucket')} cannot be used: the bucket does not exist`,
    )
  })

  it('says that access is denied, without the credentials', async () => {
    const bucket = await createBucket(endpoint)
    // s3rver knows one key id and does not check v4 signatures: an unknown id is what it refuses.
    const credentials = { accessKeyId: 'PROFHUBUNKNOWN', secretAccessKey: 'secret-5f1c0b' }
    const config = { endpoint, bucket, region: 'us-east-1', forcePathStyle: true, credentials }
    const { error } = await failureOf(openS3Blobs(config))
    expect(error.message).toBe(
      `object storage ${where(endpoint, bucket)} cannot be used: access denied: check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY and the bucket policy`,
    )
    expect(error.message).not.toContain(credentials.secretAccessKey)
  })

  it('opens a bucket that is there', async () => {
    const bucket = await createBucket(endpoint)
    const config = {
      endpoint,
      bucket,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
    }
    const blobs = await openS3Blobs(config)
    onTestFinished(() => blobs.close())
    await blobs.putBytes('runs/o/x', new Uint8Array([1, 2]))
    expect(await readBlob(blobs, 'runs/o/x')).toEqual(Buffer.from([1, 2]))
  })

  it('gives up on an endpoint that accepts connections and never answers', async () => {
    const port = await startTcpServer(() => {})
    const blobs = createS3Blobs(`http://user:pa55word@127.0.0.1:${port}`, 'profhub-silent')
    onTestFinished(() => blobs.close())
    const { error, ms } = await failureOf(blobs.ping())
    expect(error.message).toBe(
      `object storage ${where(`http://127.0.0.1:${port}`, 'profhub-silent')} cannot be used: no answer within 15 s`,
    )
    expect(ms).toBeLessThan(PING_BOUND_MS)
  })

  it('puts a file again when the connection drops during the upload', async () => {
    const target = new URL(endpoint)
    let dropped = 0
    // A proxy to s3rver that cuts the first connection as soon as the request starts.
    const port = await startTcpServer((client) => {
      if (dropped === 0) {
        dropped += 1
        client.once('data', () => client.destroy())
        return
      }
      const upstream = connect(Number(target.port), target.hostname)
      client.on('error', () => upstream.destroy())
      upstream.on('error', () => client.destroy())
      client.pipe(upstream).pipe(client)
    })
    const bucket = await createBucket(endpoint)
    const blobs = createS3Blobs(`http://127.0.0.1:${port}`, bucket)
    onTestFinished(() => blobs.close())
    const bytes = randomBytes(3 * 1024 * 1024)
    await blobs.putFile('runs/d/original.prof', await writeTempFile('dropped', bytes))
    expect(dropped).toBe(1)
    expect((await readBlob(blobs, 'runs/d/original.prof'))?.equals(bytes)).toBe(true)
  })

  it('refuses to delete with an empty prefix (the whole bucket)', async () => {
    const blobs = createS3Blobs(endpoint, await createBucket(endpoint))
    onTestFinished(() => blobs.close())
    await blobs.putBytes('runs/k/x', new Uint8Array([1]))
    await expect(blobs.deletePrefix('')).rejects.toThrow('deletePrefix needs a prefix')
    expect(await readBlob(blobs, 'runs/k/x')).toEqual(Buffer.from([1]))
  })
})
