/** The server under load: /stats latency at concurrency 10, memory while a big upload streams. */
import { createWriteStream, existsSync, mkdirSync, openAsBlob } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { residentBytes, type BenchServer } from './server.ts'
import { percentile } from './stats.ts'

export async function statsLatency(
  origin: string,
  runId: string,
  { requests = 200, concurrency = 10 } = {},
): Promise<{ p50: number; p95: number }> {
  const sorts = ['cumtime', 'tottime', 'ncalls', 'name', 'file']
  const times: number[] = []
  let next = 0
  const worker = async () => {
    while (next < requests) {
      const sort = sorts[next++ % sorts.length]
      const start = performance.now()
      const response = await fetch(`${origin}/api/runs/${runId}/stats?sort=${sort}&limit=100`)
      await response.arrayBuffer()
      times.push(performance.now() - start)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) }
}

/** 100 MB of random bytes: streamed in, then refused as not a profile. */
async function bigFile(megabytes: number): Promise<string> {
  const dir = join(tmpdir(), 'profhub-bench-profiles')
  mkdirSync(dir, { recursive: true })
  const path = join(dir, `random-${megabytes}mb.bin`)
  if (!existsSync(path)) {
    const out = createWriteStream(path)
    for (let i = 0; i < megabytes; i++) out.write(randomBytes(2 ** 20))
    await new Promise((resolve) => out.end(resolve))
  }
  return path
}

/** Peak resident memory of the server while a `megabytes` upload streams in. */
export async function uploadMemory(server: BenchServer, megabytes = 100) {
  const pid = server.process.pid!
  const idle = residentBytes(pid)
  let peak = idle
  const sampler = setInterval(() => (peak = Math.max(peak, residentBytes(pid))), 20)
  const form = new FormData()
  form.append('file', await openAsBlob(await bigFile(megabytes)), 'big.prof')
  const response = await fetch(`${server.origin}/api/runs`, { method: 'POST', body: form })
  await response.arrayBuffer()
  clearInterval(sampler)
  return { idle, peak, status: response.status }
}
