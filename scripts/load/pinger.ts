/**
 * The client's view of a stalled server: one small request every 10 ms from a process of its
 * own, so that the 250 other clients' work in this one does not delay the pings (from a worker
 * thread of this process, pings still waited for seconds that the server never saw).
 */
import { spawn } from 'node:child_process'
import type { Sample } from './report.ts'

const PING_LOOP = `
const [url, until] = process.argv.slice(1)
const samples = []
;(async () => {
  while (Date.now() < Number(until)) {
    const start = performance.now()
    let status = 0
    try {
      const response = await fetch(url)
      await response.arrayBuffer()
      status = response.status
    } catch {}
    samples.push({ ms: performance.now() - start, status })
    const wait = 10 - (performance.now() - start)
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
  }
  process.stdout.write(JSON.stringify(samples))
})()
`

/** Pings `url` every 10 ms until `until` (a Date.now() time); resolves with every answer. */
export function ping(url: string, until: number): Promise<Sample[]> {
  const child = spawn(process.execPath, ['-e', PING_LOOP, url, String(until)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as Sample[]) : reject(new Error(`pinger: ${code}`)),
    )
  })
}
