import { openAsBlob } from 'node:fs'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { type ProfhubClient, type Run, parseRun } from './client.ts'
import type { OptionValues } from './command.ts'
import { CliError, EXIT, usageError } from './errors.ts'
import { createUploadReporter } from './progress.ts'
import { formatSafeText } from './text.ts'

export interface UploadOptions {
  name?: string
  merge: boolean
  /** `KEY=VALUE` each, sent as repeated `label` fields. */
  labels: string[]
}

export interface LocalFile {
  path: string
  size: number
}

/** `(bytes sent, bytes in total)`, called as the body is read by the connection. */
export type ProgressListener = (sent: number, total: number) => void

/**
 * Checks every file before anything is sent, so that a typo in the last of ten names does
 * not leave nine runs behind.
 */
export async function checkLocalFiles(paths: string[]): Promise<LocalFile[]> {
  return Promise.all(
    paths.map(async (filePath) => {
      const info = await stat(filePath).catch((error: NodeJS.ErrnoException) => {
        const reason = error.code === 'ENOENT' ? 'no such file' : error.message
        throw new CliError(`${formatSafeText(filePath)}: ${reason}`, EXIT.failure)
      })
      if (!info.isFile()) {
        throw new CliError(`${formatSafeText(filePath)}: not a file`, EXIT.failure)
      }
      return { path: filePath, size: info.size }
    }),
  )
}

/** `--name`, `--merge`, `--label` as given to `upload` or `view`, checked. */
export function parseUploadOptions(
  values: OptionValues,
  fileCount: number,
  command: string,
): UploadOptions {
  const merge = values.merge === true
  const name = typeof values.name === 'string' ? values.name : undefined
  if (name !== undefined && fileCount > 1 && !merge) {
    throw usageError('--name names one run: give one file, or --merge', command)
  }
  const labels = Array.isArray(values.label) ? values.label.map(String) : []
  for (const label of labels) {
    // `KEY=VALUE` with a non-empty key, as the server's `label` field takes it.
    if (label.indexOf('=') <= 0) {
      throw usageError(`--label takes KEY=VALUE, not ${formatSafeText(label)}`, command)
    }
  }
  return { name, merge, labels }
}

/**
 * Uploads the files and prints each run's link on stdout as it is made (one per line, in the
 * files' order), with a progress line on stderr for a big upload. Returns the runs.
 */
export async function uploadAndPrint(
  client: ProfhubClient,
  files: LocalFile[],
  options: UploadOptions,
  signal?: AbortSignal,
): Promise<Run[]> {
  const runs: Run[] = []
  const total = files.reduce((sum, file) => sum + file.size, 0)
  const reporter = createUploadReporter(process.stderr, total)
  const onRun = (run: Run) => {
    runs.push(run)
    reporter.abort()
    process.stdout.write(`${client.runLink(run.id)}\n`)
  }
  try {
    await uploadFiles(client, files, options, onRun, reporter.listener, signal)
  } catch (error) {
    reporter.abort()
    throw error
  }
  reporter.finish()
  return runs
}

/**
 * Uploads `files` as runs: one request per file (each run stands alone, and a bad file stops
 * the batch with the runs so far already linked), or one request with `mode=merge`. Files are
 * streamed from disk (`openAsBlob`), never read into memory.
 */
export async function uploadFiles(
  client: ProfhubClient,
  files: LocalFile[],
  options: UploadOptions,
  onRun: (run: Run) => void,
  onProgress?: ProgressListener,
  signal?: AbortSignal,
): Promise<void> {
  const batches = options.merge ? [files] : files.map((file) => [file])
  const total = files.reduce((sum, file) => sum + file.size, 0)
  let sentBefore = 0
  for (const batch of batches) {
    const form = new FormData()
    if (options.merge && batch.length > 1) form.append('mode', 'merge')
    if (options.name !== undefined) form.append('name', options.name)
    for (const label of options.labels) form.append('label', label)
    for (const file of batch) {
      form.append('file', await openAsBlob(file.path), path.basename(file.path))
    }
    const base = sentBefore
    const progress = onProgress && ((sent: number) => onProgress(base + sent, total))
    let answer: unknown
    try {
      answer = await sendForm(client, form, progress, signal)
    } catch (error) {
      // The server's message names no file when one was sent: say which one it was about.
      if (error instanceof CliError && error.exitCode === EXIT.failure && batch.length === 1) {
        throw new CliError(`${formatSafeText(batch[0]!.path)}: ${error.message}`, error.exitCode)
      }
      throw error
    }
    onRun(parseRun(answer, client.baseUrl))
    sentBefore += batch.reduce((sum, file) => sum + file.size, 0)
  }
}

async function sendForm(
  client: ProfhubClient,
  form: FormData,
  onProgress?: (sent: number) => void,
  signal?: AbortSignal,
): Promise<unknown> {
  let init: RequestInit
  if (onProgress === undefined) {
    init = { method: 'POST', body: form, signal }
  } else {
    // fetch reports no upload progress: let a Request encode the multipart body, and count
    // the bytes as the connection pulls them from it. The body is then sent chunked.
    const encoded = new Request('http://localhost/', { method: 'POST', body: form })
    let sent = 0
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        sent += chunk.byteLength
        onProgress(sent)
        controller.enqueue(chunk)
      },
    })
    init = {
      method: 'POST',
      headers: { 'content-type': encoded.headers.get('content-type') ?? '' },
      body: encoded.body!.pipeThrough(counter),
      duplex: 'half',
      signal,
    } as RequestInit
  }
  const response = await client.request('/api/runs', init)
  return response.json().catch(() => null)
}
