import { randomBytes } from 'node:crypto'
import { rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { launcher } from '../converter/launcher-client.ts'
import { Semaphore } from '../semaphore.ts'

/**
 * Where a copy goes when it is not the file beside its document: `prepare` makes the document
 * (e.g. downloads it) before it is compressed, `place` stores the finished copy (which is
 * removed afterwards), and `done` runs last whatever happened.
 */
export interface CopyHooks {
  prepare?: () => Promise<void>
  place: (copy: string) => Promise<void>
  done?: () => Promise<void>
}

/**
 * Brotli copies (`NAME.br`) of stored documents, so that a profile is compressed once instead of
 * on every download: a 100k-function document (22 MB) takes ~0.6 s of CPU to compress, then
 * ~0.04 s for the browser to decompress. Until a copy exists the route compresses on the fly.
 *
 * A copy is made by a child process at the lowest CPU priority (nice 19): made right after an
 * upload, it would otherwise take a core from the next upload's converter and from the browser
 * opening the new run (on a 2-core machine, back-to-back uploads of 100k functions took 40 %
 * longer). It is written in `scratchDir` (emptied at startup) and renamed into place, so a reader
 * never sees half of one; it is derived data, so it is not fsynced: a lost copy is made again.
 *
 * One child at a time (`concurrency`), the others queued: each child is a Node process of
 * ~60 MB, and a burst of 100 uploads used to start 100 of them at once (5.7 GB).
 */
export class CompressedCopies {
  readonly #scratchDir: string
  readonly #making = new Map<string, Promise<void>>()
  readonly #queue: Semaphore
  #closed = false

  constructor(scratchDir: string, concurrency = 1) {
    this.#scratchDir = scratchDir
    this.#queue = new Semaphore(concurrency)
  }

  /** The copy's path for `file` (it may not exist yet). */
  static pathOf(file: string): string {
    return `${file}.br`
  }

  /**
   * Starts making `file`'s copy unless one is being made; failures only mean no copy. The
   * copy becomes `pathOf(file)`, unless `hooks` store it elsewhere.
   */
  make(file: string, hooks?: CopyHooks): void {
    if (this.#making.has(file)) return
    const made = this.#queue
      .run(async () => {
        // Closing: copies not begun are dropped (made again when next asked for).
        if (this.#closed) return
        try {
          await hooks?.prepare?.()
          await this.#compress(file, hooks?.place)
        } finally {
          await hooks?.done?.()
        }
      })
      .catch(() => {})
      .finally(() => this.#making.delete(file))
    this.#making.set(file, made)
  }

  /** Waits for the copy of `file` being made, or for every copy. */
  async settle(file?: string): Promise<void> {
    await (file === undefined ? Promise.all(this.#making.values()) : this.#making.get(file))
  }

  /**
   * Waits for the copies being made and drops the queued ones: a server asked to stop must
   * not spend its grace period compressing a backlog (seconds per large document).
   */
  async close(): Promise<void> {
    this.#closed = true
    await this.settle()
  }

  async #compress(file: string, place?: CopyHooks['place']): Promise<void> {
    const scratch = path.join(this.#scratchDir, `${randomBytes(12).toString('hex')}.br`)
    try {
      await compressInBackground(file, scratch)
      await (place ? place(scratch) : rename(scratch, CompressedCopies.pathOf(file)))
    } finally {
      await rm(scratch, { force: true })
    }
  }
}

// Quality 5: a tenth smaller than the on-the-fly quality 4, for a little more time, once.
const COMPRESS = `
const { createReadStream, createWriteStream } = require('node:fs')
const { pipeline } = require('node:stream')
const { constants: z, createBrotliCompress } = require('node:zlib')
const [from, to] = process.argv.slice(1)
const brotli = createBrotliCompress({
  params: { [z.BROTLI_PARAM_QUALITY]: 5, [z.BROTLI_PARAM_MODE]: z.BROTLI_MODE_TEXT },
})
pipeline(createReadStream(from), brotli, createWriteStream(to), (error) =>
  process.exit(error ? 1 : 0),
)
// stdin is a pipe from the launcher that nothing is written to: it ends when the launcher dies
// (with the server, even by SIGKILL). Stop then, and take the half-made copy along.
process.stdin.on('end', () => {
  require('node:fs').rmSync(to, { force: true })
  process.exit(1)
})
process.stdin.resume()
`

async function compressInBackground(from: string, to: string): Promise<void> {
  // Started by the launcher (no fork of this process), at nice 19; its stdin is a pipe from the
  // launcher (see COMPRESS).
  const { error } = await launcher.run(process.execPath, ['-e', COMPRESS, from, to], {
    env: {},
    nice: 19,
  })
  if (error) throw new Error(`compression failed: ${error.message}`, { cause: error })
}

/** Whether an Accept-Encoding header accepts brotli (`br`, not `br;q=0`). */
export function acceptsBrotli(header: string | undefined): boolean {
  return accepts(header, 'br')
}

/** Whether an Accept-Encoding header accepts `coding` (named, and not with `q=0`). */
export function accepts(header: string | undefined, coding: 'br' | 'gzip'): boolean {
  if (header === undefined) return false
  return header.split(',').some((part) => {
    const [name, ...params] = part.split(';').map((s) => s.trim().toLowerCase())
    if (name !== coding) return false
    const q = params.find((p) => p.startsWith('q='))
    return q === undefined || Number(q.slice(2)) > 0
  })
}
