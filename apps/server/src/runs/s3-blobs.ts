import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3'
import type { BlobStore } from './blob-store.ts'
import type { StoredBlob } from './run-store.ts'
import type { ObjectStorageConfig } from '../plugins/app/config.ts'

/** A connection that is not up by then is abandoned (and retried by the SDK). */
const CONNECT_TIMEOUT_MS = 5_000
/**
 * A socket silent for this long is given up: a store that accepted the connection and then
 * hangs fails the request instead of holding it forever. An idle timeout, not a total one: a
 * document of hundreds of MB may take minutes to send, but bytes keep moving.
 */
const IDLE_TIMEOUT_MS = 60_000
/** `ping` answers within this, retries included: /api/health and start-up must not hang. */
const PING_TIMEOUT_MS = 15_000
/** Tries at a file put, and the pause before each retry (see putFile). */
const PUT_FILE_RETRY_DELAYS_MS = [200, 1_000]
/** Errors without an HTTP answer that a new attempt may not meet. */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN'])

/**
 * Run blobs as objects in an S3-compatible bucket, under the keys given (`runs/<id>/…`, made
 * by the store, never taken from a client). Credentials come from the AWS SDK's usual sources
 * (`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, profiles, instance roles); the SDK's standard
 * retries (3 attempts, with backoff) handle passing failures.
 */
export class S3Blobs implements BlobStore {
  readonly #client: S3Client
  readonly #bucket: string
  readonly #where: string

  /** `client`: one made elsewhere (tests); closed by `close` all the same. */
  constructor(config: ObjectStorageConfig, client?: S3Client) {
    this.#client = client ?? createS3Client(config)
    this.#bucket = config.bucket
    this.#where = describeBucket(config)
  }

  /**
   * Streams the file: documents can be hundreds of MB, so it is never read whole (one
   * PutObject takes up to 5 GB). The SDK does not retry a streamed body, which it cannot
   * rewind, so a failure that may pass is retried here with a fresh stream of the file.
   */
  async putFile(key: string, file: string): Promise<void> {
    const { size } = await stat(file)
    for (let attempt = 0; ; attempt += 1) {
      const body = createReadStream(file)
      try {
        await this.#client.send(
          new PutObjectCommand({ Bucket: this.#bucket, Key: key, Body: body, ContentLength: size }),
        )
        return
      } catch (error) {
        const delay = PUT_FILE_RETRY_DELAYS_MS[attempt]
        if (delay === undefined || !isTransient(error)) throw error
        await sleep(delay)
      } finally {
        body.destroy()
      }
    }
  }

  async putBytes(key: string, bytes: Uint8Array): Promise<void> {
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: key,
        Body: bytes,
        ContentLength: bytes.byteLength,
      }),
    )
  }

  async open(key: string): Promise<StoredBlob | null> {
    try {
      const object = await this.#client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: key }),
      )
      if (!(object.Body instanceof Readable)) {
        throw new Error(`object storage returned no readable body for ${key}`)
      }
      return { stream: object.Body, size: object.ContentLength ?? 0 }
    } catch (error) {
      if (isNotFound(error)) return null
      throw error
    }
  }

  /**
   * Lists the keys under `prefix` a page (up to 1,000) at a time and deletes each page in one
   * DeleteObjects call. An empty prefix is refused: it would empty the bucket. The listing is
   * ListObjects (v1) resumed after the last key seen: every S3-compatible store answers it the
   * same way, while v2's continuation tokens are opaque and not made by all of them (s3rver's
   * need a cipher that OpenSSL 3 refuses).
   */
  async deletePrefix(prefix: string): Promise<void> {
    if (prefix === '') throw new Error('deletePrefix needs a prefix (runs/<id>/)')
    let marker: string | undefined
    for (;;) {
      const page = await this.#client.send(
        new ListObjectsCommand({ Bucket: this.#bucket, Prefix: prefix, Marker: marker }),
      )
      const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []))
      if (keys.length > 0) await this.#deleteKeys(prefix, keys)
      if (!page.IsTruncated || keys.length === 0) return
      marker = keys[keys.length - 1]
    }
  }

  async #deleteKeys(prefix: string, keys: string[]): Promise<void> {
    const result = await this.#client.send(
      new DeleteObjectsCommand({
        Bucket: this.#bucket,
        Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
      }),
    )
    const failed = result.Errors ?? []
    const first = failed[0]
    if (first) {
      throw new Error(
        `object storage ${this.#where} did not delete ${failed.length} object(s) under ${prefix}, ${first.Key}: ${first.Code ?? ''} ${first.Message ?? ''}`.trim(),
      )
    }
  }

  /** HeadBucket; the error names the endpoint and bucket and says what went wrong. */
  async ping(): Promise<void> {
    const abortSignal = AbortSignal.timeout(PING_TIMEOUT_MS)
    try {
      await this.#client.send(new HeadBucketCommand({ Bucket: this.#bucket }), { abortSignal })
    } catch (error) {
      const reason = abortSignal.aborted
        ? `no answer within ${PING_TIMEOUT_MS / 1000} s`
        : explainFailure(error)
      throw new Error(`object storage ${this.#where} cannot be used: ${reason}`, { cause: error })
    }
  }

  async close(): Promise<void> {
    this.#client.destroy()
  }
}

/**
 * Checks the bucket at start-up, so that a wrong endpoint, a missing bucket or refused
 * credentials give one clear error before the server listens; the blobs are then ready.
 */
export async function openS3Blobs(
  config: ObjectStorageConfig,
  client?: S3Client,
): Promise<S3Blobs> {
  const blobs = new S3Blobs(config, client)
  try {
    await blobs.ping()
  } catch (error) {
    await blobs.close()
    throw error
  }
  return blobs
}

/** The client S3Blobs uses; `overrides` replace settings (tests give fixed credentials). */
export function createS3Client(
  config: ObjectStorageConfig,
  overrides: Partial<S3ClientConfig> = {},
): S3Client {
  return new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    // Null: the SDK's own chain (its environment variables, a profile, an instance role).
    ...(config.credentials === null ? {} : { credentials: config.credentials }),
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, socketTimeout: IDLE_TIMEOUT_MS },
    // Checksums only where the API requires them (DeleteObjects): the SDK's default sends
    // streamed bodies with trailing checksums (aws-chunked), which many S3-compatible stores
    // do not accept. TCP and the Content-Length still guard the bytes on the way.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Without a logger the SDK writes some warnings to the console (a failed streamed put,
    // which putFile retries); failures reach the caller as errors. A logger can be given here.
    logger: quietLogger,
    ...overrides,
  })
}

/** `http://host:9000 bucket "runs"`, without any user or password written into the URL. */
function describeBucket(config: ObjectStorageConfig): string {
  let endpoint = config.endpoint
  try {
    const url = new URL(config.endpoint)
    url.username = ''
    url.password = ''
    endpoint = url.href.replace(/\/$/, '')
  } catch {
    endpoint = '(an endpoint that is not a URL)'
  }
  return `${endpoint} bucket "${config.bucket}"`
}

const quietLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }

interface SdkError {
  name?: unknown
  code?: unknown
  message?: unknown
  $metadata?: { httpStatusCode?: number }
}

function asSdkError(error: unknown): SdkError {
  return typeof error === 'object' && error !== null ? (error as SdkError) : {}
}

/** No such object; a missing bucket is not that but a broken setup, and stays an error. */
function isNotFound(error: unknown): boolean {
  const { name, $metadata } = asSdkError(error)
  if (name === 'NoSuchBucket') return false
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404
}

/** A server error, throttling, a timeout or a dropped connection: worth another attempt. */
function isTransient(error: unknown): boolean {
  const { name, code, $metadata } = asSdkError(error)
  const status = $metadata?.httpStatusCode
  if (status !== undefined) return status >= 500 || status === 429
  return name === 'TimeoutError' || (typeof code === 'string' && TRANSIENT_CODES.has(code))
}

/** Why a HeadBucket failed, in words (a HEAD answer has no body, so only its status tells). */
function explainFailure(error: unknown): string {
  const { name, code, message, $metadata } = asSdkError(error)
  const status = $metadata?.httpStatusCode
  if (status === 404 || name === 'NotFound' || name === 'NoSuchBucket') {
    return 'the bucket does not exist'
  }
  if (status === 403) {
    return 'access denied: check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY and the bucket policy'
  }
  if (status === 301) return 'the bucket is in another region: set S3_REGION'
  const text = typeof message === 'string' ? message : ''
  const codeText = typeof code === 'string' ? code : ''
  // Node reports a refused connection to a name with several addresses as an AggregateError
  // with no message, only a code.
  if (text === '') return codeText || (status ? `HTTP ${status}` : String(name ?? 'unknown error'))
  return codeText !== '' && !text.includes(codeText) ? `${codeText}: ${text}` : text
}
