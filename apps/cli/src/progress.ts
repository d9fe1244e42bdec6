import type { ProgressListener } from './upload.ts'
import { formatBytes } from './text.ts'

/** Uploads from this size on get a progress line: smaller ones are over before it is read. */
export const BIG_UPLOAD_BYTES = 1024 * 1024
const REDRAW_MS = 100

export interface UploadReporter {
  /** Given to the upload when the progress is drawn live (stderr is a terminal). */
  listener?: ProgressListener
  /** The upload is done: the final one-line summary. */
  finish(): void
  /** The upload failed: clears the live line so that the error starts on a clean one. */
  abort(): void
}

/**
 * Progress of a big upload on stderr: redrawn in place on a terminal (bytes sent / total), or,
 * when stderr is a file or a pipe, only the final one-liner (a log needs no animation).
 */
export function createUploadReporter(stderr: NodeJS.WriteStream, total: number): UploadReporter {
  if (total < BIG_UPLOAD_BYTES) return { finish() {}, abort() {} }
  const started = performance.now()
  const summary = () =>
    `profhub: uploaded ${formatBytes(total)} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`
  if (!stderr.isTTY) return { finish: () => stderr.write(summary()), abort() {} }

  let lastDraw = 0
  let drawn = false
  const clear = () => drawn && stderr.write('\r\x1b[K')
  return {
    listener(sent, all) {
      const now = performance.now()
      const done = sent >= all
      if (!done && now - lastDraw < REDRAW_MS) return
      lastDraw = now
      drawn = true
      // The multipart framing adds a few hundred bytes to the files' sizes.
      const shown = Math.min(sent, all)
      const percent = Math.floor((shown / all) * 100)
      const line = done
        ? `profhub: uploaded ${formatBytes(all)}, converting…`
        : `profhub: uploading ${formatBytes(shown)} / ${formatBytes(all)} (${percent}%)`
      stderr.write(`\r\x1b[K${line}`)
    },
    finish() {
      clear()
      stderr.write(summary())
    },
    abort: clear,
  }
}
