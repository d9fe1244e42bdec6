import { createWriteStream } from 'node:fs'
import { unlink } from 'node:fs/promises'
import { Readable, type Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { COMMON_HELP, COMMON_OPTIONS, type Command } from '../command.ts'
import { parseDispositionFileName, safeFileName } from '../content-disposition.ts'
import { CliError, EXIT, usageError } from '../errors.ts'
import { parseRunRef } from '../run-ref.ts'
import { formatBytes, formatSafeText } from '../text.ts'
import { clientFor } from './open.ts'

const FORMATS = ['prof', 'pstats', 'csv', 'callgrind', 'speedscope'] as const
type ExportFormat = (typeof FORMATS)[number]

/** File names when the server sends none. */
const FALLBACK_NAMES: Record<ExportFormat, (id: string) => string> = {
  prof: (id) => `${id}.prof`,
  pstats: (id) => `${id}.txt`,
  csv: (id) => `${id}.csv`,
  callgrind: (id) => `callgrind.out.${id}`,
  speedscope: (id) => `${id}.speedscope.json`,
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'download a run as prof, pstats text, csv, callgrind or speedscope',
  help: `Usage: profhub export ID|LINK --format ${FORMATS.join('|')} [-o FILE] [options]

Writes the run in the format: to FILE; to stdout with "-o -", or with no -o when stdout is not
a terminal (a pipe or a redirect); else to a new file in the current directory named as the
server suggests (an existing file is never overwritten without -o).

Formats: prof (a pstats file of the run's stats), pstats (print_stats() text by cumulative
time), csv, callgrind (for KCachegrind/QCachegrind), speedscope (JSON for speedscope.app).

Options:
  -f, --format F   ${FORMATS.join(', ')}
  -o, --output F   the file to write ("-" for stdout)
${COMMON_HELP}`,
  options: {
    ...COMMON_OPTIONS,
    format: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
  },
  async run(values, positionals, env) {
    if (positionals.length !== 1) throw usageError('give one run id or link', 'export')
    const format = values.format
    if (typeof format !== 'string' || !(FORMATS as readonly string[]).includes(format)) {
      const given = typeof format === 'string' ? `, not ${formatSafeText(format)}` : ''
      throw usageError(`--format takes one of ${FORMATS.join(', ')}${given}`, 'export')
    }
    const ref = parseRunRef(positionals[0]!, 'export')
    const output = typeof values.output === 'string' ? values.output : undefined
    const client = await clientFor(ref.server, values, env)
    const response = await client.request(
      `/api/runs/${encodeURIComponent(ref.id)}/export/${format}`,
    )
    const body = Readable.fromWeb(response.body! as WebReadableStream<Uint8Array>)

    if (output === '-' || (output === undefined && !process.stdout.isTTY)) {
      await writeToStdout(body)
      return EXIT.ok
    }
    // A name we chose is never written over; a name the person gave is.
    const fileName =
      output ??
      safeFileName(
        parseDispositionFileName(response.headers.get('content-disposition')),
        FALLBACK_NAMES[format as ExportFormat](ref.id),
      )
    const bytes = await writeToFile(body, fileName, output === undefined ? 'wx' : 'w')
    process.stderr.write(`profhub: wrote ${formatSafeText(fileName)} (${formatBytes(bytes)})\n`)
    return EXIT.ok
  },
}

async function writeToFile(body: Readable, fileName: string, flags: 'w' | 'wx'): Promise<number> {
  let file: Writable
  try {
    file = await openForWriting(fileName, flags)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason =
      code === 'EEXIST' ? 'it already exists (choose a name with -o)' : (error as Error).message
    body.destroy()
    throw new CliError(`cannot write ${formatSafeText(fileName)}: ${reason}`, EXIT.failure)
  }
  let bytes = 0
  body.on('data', (chunk: Buffer) => (bytes += chunk.length))
  try {
    await pipeline(body, file)
  } catch (error) {
    await unlink(fileName).catch(() => {})
    throw new CliError(
      `the download of ${formatSafeText(fileName)} failed: ${(error as Error).message}`,
    )
  }
  return bytes
}

/** createWriteStream opens lazily: wait for the open, so that EEXIST is an error here. */
function openForWriting(fileName: string, flags: 'w' | 'wx'): Promise<Writable> {
  return new Promise((resolve, reject) => {
    const file = createWriteStream(fileName, { flags })
    file.once('open', () => resolve(file))
    file.once('error', reject)
  })
}

/** stdout stays open after the copy: pipeline() would end it. */
async function writeToStdout(body: Readable): Promise<void> {
  for await (const chunk of body) {
    if (!process.stdout.write(chunk as Buffer)) {
      await new Promise((resolve) => process.stdout.once('drain', resolve))
    }
  }
}
