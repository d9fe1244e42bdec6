/** Exports: each format of one run, request → last byte, and how long the event loop stalls. */
import { spawn } from 'node:child_process'
import { PINGER } from './ingest.ts'
import { median } from './stats.ts'

export const EXPORT_FORMATS = ['prof', 'pstats', 'csv', 'callgrind', 'speedscope'] as const

export interface ExportTiming {
  format: (typeof EXPORT_FORMATS)[number]
  /** Median of request → whole body received. */
  milliseconds: number
  bytes: number
  /** Longest /api/health wait while the exports ran (pinged from another process). */
  healthLagMs: number
}

// The longest /api/health wait, pinged from a process of its own (ingest.ts): the server's
// stall, not this process's (busy reading the export).
async function withHealthPings<T>(origin: string, task: () => Promise<T>) {
  const pinger = spawn(process.execPath, ['-e', PINGER, origin], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  let printed = ''
  pinger.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()))
  const pinged = new Promise((resolve) => pinger.on('exit', resolve))
  await new Promise((resolve) => setTimeout(resolve, 100)) // pinging before the first request
  const result = await task()
  pinger.stdin.end()
  await pinged
  return { result, healthLagMs: Number(printed) }
}

export async function timeExports(
  origin: string,
  runId: string,
  times: number,
): Promise<ExportTiming[]> {
  const timings: ExportTiming[] = []
  for (const format of EXPORT_FORMATS) {
    const { result, healthLagMs } = await withHealthPings(origin, async () => {
      const runs: { milliseconds: number; bytes: number }[] = []
      for (let i = 0; i < times; i++) {
        const start = performance.now()
        const response = await fetch(`${origin}/api/runs/${runId}/export/${format}`)
        if (response.status !== 200) throw new Error(`export ${format}: ${response.status}`)
        const bytes = (await response.arrayBuffer()).byteLength
        runs.push({ milliseconds: performance.now() - start, bytes })
      }
      return runs
    })
    timings.push({
      format,
      milliseconds: median(result.map((r) => r.milliseconds)),
      bytes: result[0]!.bytes,
      healthLagMs,
    })
  }
  return timings
}
