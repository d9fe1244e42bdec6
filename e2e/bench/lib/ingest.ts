/** Ingest: upload → 201, the converter alone, and a bare pstats load of the same file. */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { PYTHON } from './profiles.ts'
import { REPO } from './server.ts'

export interface Upload {
  url: string
  id: string
  milliseconds: number
  /** Longest wait of a /api/health request sent every 10 ms during the upload. */
  healthLagMs: number
}

export async function timedUpload(origin: string, file: string): Promise<Upload> {
  const form = new FormData()
  form.append('file', new Blob([readFileSync(file)]), basename(file))
  let healthLagMs = 0
  let uploading = true
  // The event loop's health, seen from outside: a blocked loop answers late.
  const probe = (async () => {
    while (uploading) {
      const start = performance.now()
      await fetch(`${origin}/api/health`)
      healthLagMs = Math.max(healthLagMs, performance.now() - start)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  })()
  const start = performance.now()
  const response = await fetch(`${origin}/api/runs`, { method: 'POST', body: form })
  const milliseconds = performance.now() - start
  uploading = false
  await probe
  if (response.status !== 201)
    throw new Error(`upload ${file}: ${response.status} ${await response.text()}`)
  const run = (await response.json()) as { id: string; url: string }
  return { ...run, milliseconds, healthLagMs }
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
