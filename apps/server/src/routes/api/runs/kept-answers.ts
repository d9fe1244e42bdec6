import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setImmediate } from 'node:timers/promises'
import zlib from 'node:zlib'
import { accepts } from '../../../runs/compressed-copies.ts'
import { BoundedCache } from '../../../runs/bounded-cache.ts'

export type AnswerEncoding = 'br' | 'gzip' | 'identity'

/** An answer's bytes, and how they are encoded (small answers are never compressed). */
export interface KeptAnswer {
  body: Buffer
  encoding: AnswerEncoding
}

/** What a kept answer costs besides its bytes and its key's (the maps' entries, objects). */
const ENTRY_OVERHEAD = 200
/**
 * Compressed at the fastest settings: brotli at quality 4 takes 0.4 s of CPU for 4 MB of JSON,
 * quality 1 a quarter of that for a fifth more bytes, and two cores under load have none to
 * spare. Answers under 1 KB are sent as they are (as @fastify/compress does).
 */
const COMPRESS_FROM_BYTES = 1024
export const FAST_BROTLI = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } }
export const FAST_GZIP = { level: 1 }
const compressors = {
  br: () => zlib.createBrotliCompress(FAST_BROTLI),
  gzip: () => zlib.createGzip(FAST_GZIP),
}

/** The encoding an answer is sent in: brotli, else gzip, else none. */
export function answerEncoding(acceptEncoding: string | undefined): AnswerEncoding {
  if (accepts(acceptEncoding, 'br')) return 'br'
  if (accepts(acceptEncoding, 'gzip')) return 'gzip'
  return 'identity'
}

/**
 * Answers made from a run's profile (/stats pages, the charts' call tree) as sent: their bytes,
 * compressed for the client, kept by run, question and encoding. A run's profile never changes,
 * and readers (the table's pages, scripts, everyone opening a shared link) ask the same
 * questions again. Under load, writing and compressing /stats answers was most of the server's
 * CPU per read; a kept answer is a lookup. Bounded by bytes, least recently used first out;
 * concurrent requests for one answer share its making.
 */
export class KeptAnswers {
  readonly #cache: BoundedCache<KeptAnswer>
  readonly #encoding = new Map<string, Promise<KeptAnswer>>()

  constructor(maxBytes: number) {
    // A key holds the question: a filter of up to 1,000 characters (2 bytes each).
    this.#cache = new BoundedCache(
      (answer, key) => answer.body.length + 2 * key.length + ENTRY_OVERHEAD,
      maxBytes,
    )
  }

  /** The estimated bytes of the answers kept. */
  get bytes(): number {
    return this.#cache.bytes
  }

  /**
   * The answer to `question` about run `id` in `encoding`: kept, or written from `pieces` (the
   * answer's text or bytes in order, made as they are read: a big answer is never one string).
   */
  read(
    id: string,
    question: string,
    encoding: AnswerEncoding,
    pieces: () => Iterable<string | Uint8Array> | Promise<Iterable<string | Uint8Array>>,
  ): Promise<KeptAnswer> {
    const key = `${id}\n${question}\n${encoding}`
    const kept = this.#cache.get(key)
    if (kept !== undefined) return Promise.resolve(kept)
    let writing = this.#encoding.get(key)
    if (writing === undefined) {
      writing = Promise.resolve()
        .then(pieces)
        .then((made) => encode(made, encoding))
        .then((answer) => {
          this.#cache.set(key, answer)
          return answer
        })
        .finally(() => this.#encoding.delete(key))
      this.#encoding.set(key, writing)
    }
    return writing
  }

  /** Drops the answers of a deleted run. */
  forget(id: string): void {
    this.#cache.deleteWhere(`${id}\n`)
  }
}

/**
 * The answer's bytes: its pieces UTF-8 encoded, compressed when the answer is 1 KB or more.
 * Other requests are served between pieces.
 */
async function encode(
  pieces: Iterable<string | Uint8Array>,
  encoding: AnswerEncoding,
): Promise<KeptAnswer> {
  const chunks: Uint8Array[] = []
  let bytes = 0
  const iterator = pieces[Symbol.iterator]()
  // The first kilobyte decides whether to compress.
  while (bytes < COMPRESS_FROM_BYTES) {
    const next = iterator.next()
    if (next.done) return { body: Buffer.concat(chunks), encoding: 'identity' }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value
    chunks.push(chunk)
    bytes += chunk.length
  }
  const rest = Readable.from(
    (async function* () {
      yield* chunks
      // A piece per turn of the event loop: 20,000 rows written at once held it for 40 ms.
      for (let next = iterator.next(); !next.done; next = iterator.next()) {
        await setImmediate()
        yield next.value
      }
    })(),
    { objectMode: false, highWaterMark: 1 },
  )
  const out: Buffer[] = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.push(chunk)
      done()
    },
  })
  if (encoding === 'identity') await pipeline(rest, sink)
  else await pipeline(rest, compressors[encoding](), sink)
  return { body: Buffer.concat(out), encoding }
}
