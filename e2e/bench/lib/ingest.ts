/** Ingest: upload → 201, the converter alone, and a bare pstats load of the same file. */
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { PYTHON } from './profiles.ts'
import { REPO } from './server.ts'

export interface Upload {
  url: string
  id: string
  milliseconds: number
  /** Longest wait of a /api/health request sent every 10 ms during the upload, by another process. */
  healthLagMs: number
}

// Pings /api/health every 10 ms until its stdin closes, then prints the longest wait. A process
// of its own, so that the wait measured is the server's and not this process's, which is busy
// streaming the upload at the same time.
export const PINGER = `
let longest = 0, stop = false, pings = 0
process.stdin.on('end', () => (stop = true)).resume()
;(async () => {
  while (!stop) {
    const start = performance.now()
    await fetch(process.argv[1] + '/api/health')
    // the first one opens the connection (and loads Node's fetch): not the server's wait
    if (pings++ > 0) longest = Math.max(longest, performance.now() - start)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  process.stdout.write(String(longest))
})()
`

export async function timedUpload(origin: string, file: string): Promise<Upload> {
  const form = new FormData()
  form.append('file', new Blob([readFileSync(file)]), basename(file))
  // The event loop's health, seen from outside: a blocked loop answers late.
  const pinger = spawn(process.execPath, ['-e', PINGER, origin], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  let printed = ''
  pinger.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()))
  const pinged = new Promise((resolve) => pinger.on('exit', resolve))
  await new Promise((resolve) => setTimeout(resolve, 100)) // pinging before the upload starts
  const start = performance.now()
  const response = await fetch(`${origin}/api/runs`, { method: 'POST', body: form })
  const milliseconds = performance.now() - start
  pinger.stdin.end()
  await pinged
  if (response.status !== 201)
    throw new Error(`upload ${file}: ${response.status} ${await response.text()}`)
  const run = (await response.json()) as { id: string; url: string }
  return { ...run, milliseconds, healthLagMs: Number(printed) }
}

function timeCommand(args: string[]): number {
  const start = performance.now()
  execFileSync(PYTHON, args, { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 2 ** 30 })
  return performance.now() - start
}

/** The converter as the server runs it (writing its JSON to a pipe nobody reads). */
export const timeShim = (file: string) =>
  timeCommand(['-I', join(REPO, 'apps/server/shim/pstats_to_json.py'), file])

/** What snakeviz and every other viewer starts with: `pstats.Stats(file)`. */
export const timeBarePstats = (file: string) =>
  timeCommand(['-c', 'import pstats, sys; pstats.Stats(sys.argv[1])', file])
