/** Starts the real server for a benchmark: a temp DATA_DIR, its own port, its memory readable. */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const REPO = join(import.meta.dirname, '../../..')

export interface BenchServer {
  origin: string
  process: ChildProcess
  /** From spawning `node dist/server.js` to the first `200` from /api/health (10 ms polls). */
  startMs: number
  stop(): Promise<void>
}

export async function startServer(port: number): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'profhub-bench-'))
  // The compiled server (`pnpm bench` builds it), node itself: its pid is the server whose
  // memory we read.
  const child = spawn(process.execPath, [join(REPO, 'apps/server/dist/server.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      // Hundreds of uploads from one client (the series: 500): speed, not the rate limit.
      UPLOAD_RATE_LIMIT: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const origin = `http://127.0.0.1:${port}`
  const started = performance.now()
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) at start`)
    const ok = await fetch(`${origin}/api/health`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) break
    if (performance.now() - started > 180_000) throw new Error('the server did not start in 3 min')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return {
    origin,
    process: child,
    startMs: performance.now() - started,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Resident memory of a process, in bytes (Linux). */
export function residentBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) * 1024 : NaN
}
