import { randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { constants, createBrotliCompress } from 'node:zlib'

/**
 * Brotli copies (`NAME.br`) of stored documents, so that a profile is compressed once instead of
 * on every download: a 100k-function document (22 MB) takes ~0.6 s to compress, then ~0.04 s
 * for the browser to decompress. Made in the background, in libuv's thread pool (zlib streams),
 * never on the event loop; until a copy exists the route compresses on the fly as before.
 * A copy is written in `scratchDir` (emptied at startup) and renamed into place, so a reader
 * never sees half of one; it is derived data, so it is not fsynced: a lost copy is made again.
 */
export class CompressedCopies {
  readonly #scratchDir: string
  readonly #making = new Map<string, Promise<void>>()

  constructor(scratchDir: string) {
    this.#scratchDir = scratchDir
  }

  /** The copy's path for `file` (it may not exist yet). */
  static pathOf(file: string): string {
    return `${file}.br`
  }

  /** Starts making `file`'s copy unless one is being made; failures only mean no copy. */
  make(file: string): void {
    if (this.#making.has(file)) return
    const made = this.#compress(file)
      .catch(() => {})
      .finally(() => this.#making.delete(file))
    this.#making.set(file, made)
  }

  /** Waits for the copy of `file` being made, or for every copy (on close). */
  async settle(file?: string): Promise<void> {
    await (file === undefined ? Promise.all(this.#making.values()) : this.#making.get(file))
  }

  async #compress(file: string): Promise<void> {
    const scratch = path.join(this.#scratchDir, `${randomBytes(12).toString('hex')}.br`)
    try {
      await pipeline(
        createReadStream(file),
        createBrotliCompress({
          params: {
            // 5: a tenth smaller than the on-the-fly quality 4, for a little more time, once
            [constants.BROTLI_PARAM_QUALITY]: 5,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          },
        }),
        createWriteStream(scratch),
      )
      await rename(scratch, CompressedCopies.pathOf(file))
    } finally {
      await rm(scratch, { force: true })
    }
  }
}

/** Whether an Accept-Encoding header accepts brotli (`br`, not `br;q=0`). */
export function acceptsBrotli(header: string | undefined): boolean {
  if (header === undefined) return false
  return header.split(',').some((part) => {
    const [coding, ...params] = part.split(';').map((s) => s.trim().toLowerCase())
    if (coding !== 'br') return false
    const q = params.find((p) => p.startsWith('q='))
    return q === undefined || Number(q.slice(2)) > 0
  })
}
