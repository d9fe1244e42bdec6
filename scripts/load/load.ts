/**
 * `pnpm load`: the compiled server under a team's worth of traffic. It starts
 * apps/server/dist/server.js (temp DATA_DIR, free loopback port, UPLOAD_RATE_LIMIT=0), seeds
 * it with real fixture profiles, then for `--seconds` (60) runs `--uploaders` (50) clients
 * uploading fixture files back to back and `--readers` (200) clients reading /stats (every
 * sort, filters, limits up to every row), /profile and the run list, while one more client
 * pings a cheap endpoint every 10 ms and /api/health's `eventLoop.perSecondMs` is read every
 * 2 s. Then, for `--quiet-seconds` (10), the readers alone: what reading costs when no
 * converter takes a core. Prints latency per endpoint, errors by status, uploads/s, the longest
 * event-loop stall and who used the cores (the server, this client, other work: the targets
 * are for an idle machine); exits 1 on any error answer (a non-2xx: with the rate limit off
 * there is no 429).
 *
 * Requests go through undici's `request` (the HTTP client under Node's fetch), whose agent opens
 * as many connections per origin as there are requests in flight: 250 clients are 250 sockets.
 * Not `fetch`: its streams and its decompression of every compressed answer made this client use
 * more CPU than the server it measures, and a late client makes every latency it measures longer.
 * Bodies are read to their last byte as sent (compressed when the server compressed them).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { FormData, request } from 'undici'
import { fixturePath, listProfiles } from '../../fixtures/index.ts'
import { cpuShares, formatCpuShares, readCpu } from './cpu.ts'
import { ping } from './pinger.ts'
import { formatLatencyTable, formatMs, percentile, Recorder } from './report.ts'
import { startServer } from './server.ts'

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    uploaders: { type: 'string', default: '50' },
    readers: { type: 'string', default: '200' },
    'quiet-seconds': { type: 'string', default: '10' },
    server: { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
})
const SECONDS = Number(args.seconds)
const UPLOADERS = Number(args.uploaders)
const READERS = Number(args.readers)
const QUIET_SECONDS = Number(args['quiet-seconds'])
if (!(SECONDS > 0)) throw new Error('--seconds must be a positive number')
if (!(QUIET_SECONDS >= 0)) throw new Error('--quiet-seconds must be a number, 0 or more')
for (const [name, value] of Object.entries({ UPLOADERS, READERS })) {
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name.toLowerCase()}: a count`)
}

/** Seeded runs: the two big real profiles and a few small ones. */
const SEED = [
  'large-20k.prof',
  'realworld-unittest-py3.11.prof',
  'jsondoc-py3.11.prof',
  'recursion-py3.11.prof',
  'hostile_names.prof',
]
const SORTS = ['cumtime', 'tottime', 'ncalls', 'name', 'file']
const FILTERS = ['', '', '', 'json', 'test', '<built-in', '__init__', 'a', 'no such function']

interface SeededRun {
  id: string
  functionCount: number
}

const recorder = new Recorder()
/** After each endpoint's name: the readers-only phase is reported apart. */
let phase = ''
const QUIET = ' (readers only)'
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!

interface Answer {
  status: number
  /** The body parsed as JSON, or null. */
  json: () => unknown
}

type RequestOptions = Parameters<typeof request>[1]

/** Times one request, its body read to the end; null when no answer came. Never throws. */
async function timed(
  endpoint: string,
  url: string,
  options?: RequestOptions,
): Promise<Answer | null> {
  const start = performance.now()
  try {
    const response = await request(url, options)
    const body = await response.body.arrayBuffer()
    recorder.add(endpoint + phase, { ms: performance.now() - start, status: response.statusCode })
    const json = () => {
      try {
        return JSON.parse(new TextDecoder().decode(body)) as unknown
      } catch {
        return null
      }
    }
    return { status: response.statusCode, json }
  } catch (error) {
    const code = (error as { code?: string }).code
    recorder.addNetworkError(endpoint + phase, code ?? String(error))
    return null
  }
}

/** The upload mix: every fixture profile, the small ones far more often than the two big ones. */
function uploadFiles(): { name: string; bytes: Uint8Array }[] {
  const files = listProfiles().map((name) => ({ name, bytes: readFileSync(fixturePath(name)) }))
  const small = files.filter((file) => file.bytes.length < 500_000)
  const big = files.filter((file) => file.bytes.length >= 500_000)
  // About one upload in 20 is big (1–3.4 MB): conversion time, not bytes, is what costs.
  return [...small, ...small, ...big]
}

function upload(origin: string, file: { name: string; bytes: Uint8Array }) {
  const form = new FormData()
  form.append('file', new Blob([file.bytes]), file.name)
  return timed('POST /api/runs', `${origin}/api/runs`, { method: 'POST', body: form })
}

async function seed(origin: string): Promise<SeededRun[]> {
  const runs: SeededRun[] = []
  for (const name of SEED) {
    const form = new FormData()
    form.append('file', new Blob([readFileSync(fixturePath(name))]), name)
    const response = await request(`${origin}/api/runs`, { method: 'POST', body: form })
    const body = (await response.body.json()) as { id: string; summary: { functionCount: number } }
    if (response.statusCode !== 201) throw new Error(`seeding ${name}: ${response.statusCode}`)
    runs.push({ id: body.id, functionCount: body.summary.functionCount })
  }
  return runs
}

function statsUrl(origin: string, run: SeededRun): string {
  const params = new URLSearchParams()
  const sort = pick(SORTS)
  if (sort !== 'cumtime' || Math.random() < 0.5) params.set('sort', sort)
  const filter = pick(FILTERS)
  if (filter !== '') params.set('filter', filter)
  const roll = Math.random()
  // Mostly pages; one request in 20 asks for every row.
  if (roll < 0.05) params.set('limit', String(Math.max(1, run.functionCount)))
  else if (roll < 0.2) params.set('limit', '1000')
  else if (roll < 0.5) params.set('limit', '10')
  return `${origin}/api/runs/${run.id}/stats?${params}`
}

async function main() {
  const files = uploadFiles()
  // Paths on the command line are from where `pnpm load` was typed.
  const cwd = process.env.INIT_CWD ?? process.cwd()
  const server = await startServer(
    args.server && path.resolve(cwd, args.server),
    args['cpu-prof'] && path.resolve(cwd, args['cpu-prof']),
  )
  const { origin } = server
  let failed = false
  try {
    const seeded = await seed(origin)
    const uploaded: SeededRun[] = []
    const smallRun = seeded.at(-1)!
    console.log(
      `profhub at ${origin}: ${seeded.length} runs seeded; ${UPLOADERS} uploaders, ${READERS} readers for ${SECONDS} s`,
    )
    // This process's own event loop: a late client makes every latency it measures longer.
    const clientLoop = monitorEventLoopDelay({ resolution: 10 })
    clientLoop.enable()
    const cpuBefore = readCpu(server.child.pid)
    const started = performance.now()
    let deadline = started + SECONDS * 1000
    const running = () => performance.now() < deadline
    let uploads = 0

    const uploader = async () => {
      while (running()) {
        const response = await upload(origin, pick(files))
        if (response?.status !== 201) continue
        uploads++
        // Readers ask for new runs' tables too: each one is a table built in a worker.
        const run = response.json() as { id: string; summary: { functionCount: number } } | null
        if (run?.id) uploaded.push({ id: run.id, functionCount: run.summary.functionCount })
      }
    }
    const reader = async () => {
      while (running()) {
        const roll = Math.random()
        const run = uploaded.length > 0 && Math.random() < 0.2 ? pick(uploaded) : pick(seeded)
        if (roll < 0.7) {
          await timed('GET /api/runs/:id/stats', statsUrl(origin, run))
        } else if (roll < 0.85) {
          const encoding = Math.random() < 0.5 ? 'br, gzip' : 'identity'
          await timed('GET /api/runs/:id/profile', `${origin}/api/runs/${run.id}/profile`, {
            headers: { 'accept-encoding': encoding },
          })
        } else {
          const query = pick([
            '',
            '?limit=10',
            '?sort=totalTime',
            '?q=json',
            '?sort=name&order=asc',
          ])
          await timed('GET /api/runs', `${origin}/api/runs${query}`)
        }
      }
    }
    // The server's own measure: each second's longest event-loop delay (`perSecondMs`, the
    // current second last), read every 2 s. Only the seconds since the load began count: the
    // window also holds the server's start and the seeding. A reading answered more than a
    // window after the one before leaves a gap.
    let serverStallMs = 0
    let covered = Date.now()
    let gaps = 0
    const loadBegan = Date.now()
    const readServerStall = (body: unknown) => {
      const loop = (
        body as {
          eventLoop?: { maxDelayMs?: number; windowSeconds?: number; perSecondMs?: number[] }
        } | null
      )?.eventLoop
      const now = Date.now()
      const secondsOfLoad = Math.floor((now - loadBegan) / 1000)
      // NaN from a server that does not report it.
      // The seconds since the reading before (and the one it was in), of the load only.
      const since = Math.ceil((now - covered) / 1000) + 1
      const seconds = loop?.perSecondMs?.slice(-Math.min(secondsOfLoad, since)) ?? [NaN]
      if (secondsOfLoad > 0) serverStallMs = Math.max(serverStallMs, ...seconds)
      if (now - (loop?.windowSeconds ?? 0) * 1000 > covered) gaps++
      covered = now
    }
    const healthReader = async () => {
      while (running()) {
        const response = await timed('GET /api/health', `${origin}/api/health`)
        if (response?.status === 200) readServerStall(response.json())
        await new Promise((resolve) => setTimeout(resolve, 2000))
      }
    }
    const pings = ping(`${origin}/api/runs/${smallRun.id}`, Date.now() + SECONDS * 1000)
    await Promise.all([
      ...Array.from({ length: UPLOADERS }, uploader),
      ...Array.from({ length: READERS }, reader),
      healthReader(),
    ])
    for (const sample of await pings) recorder.add('ping GET /api/runs/:id', sample)
    const elapsed = (performance.now() - started) / 1000
    const cpuLoaded = readCpu(server.child.pid)
    clientLoop.disable()
    // The last reading covers the requests that finished after the deadline too.
    readServerStall(await fetch(`${origin}/api/health`).then((r) => r.json()))

    // The readers alone, once the uploads are done (their compressed copies may still be made).
    let quietStallMs = NaN
    let quietCpu = null
    if (QUIET_SECONDS > 0 && READERS > 0) {
      phase = QUIET
      const quietStart = readCpu(server.child.pid)
      deadline = performance.now() + QUIET_SECONDS * 1000
      await Promise.all(Array.from({ length: READERS }, reader))
      quietCpu = cpuShares(quietStart, readCpu(server.child.pid))
      const health = (await fetch(`${origin}/api/health`).then((r) => r.json())) as {
        eventLoop?: { perSecondMs?: number[] }
      }
      const seconds = Math.ceil(quietCpu.seconds) + 1
      quietStallMs = Math.max(...(health.eventLoop?.perSecondMs?.slice(-seconds) ?? [NaN]))
      phase = ''
    }

    const pingMs = recorder.samples('ping GET /api/runs/:id').map((s) => s.ms)
    const stats = recorder.samples('GET /api/runs/:id/stats').map((s) => s.ms)
    console.log('')
    for (const line of formatLatencyTable(recorder)) console.log(line)
    console.log('')
    console.log(
      `uploads: ${uploads} in ${elapsed.toFixed(1)} s = ${(uploads / elapsed).toFixed(2)}/s`,
    )
    console.log(
      `event-loop stall: server ${formatMs(serverStallMs)} ms (its longest timer delay${gaps > 0 ? `, but ${gaps} gaps between readings` : ''}), client ${formatMs(percentile(pingMs, 1))} ms (longest ping)`,
    )
    console.log(
      `the load client's own event loop: p99 ${formatMs(clientLoop.percentile(99) / 1e6 - 10)} ms, max ${formatMs(clientLoop.max / 1e6 - 10)} ms late (latencies above include it)`,
    )
    console.log(formatCpuShares(cpuShares(cpuBefore, cpuLoaded)))
    if (quietCpu !== null) {
      const quietStats = recorder.samples(`GET /api/runs/:id/stats${QUIET}`).map((s) => s.ms)
      const reads = recorder.endpoints().filter((endpoint) => endpoint.endsWith(QUIET))
      const count = reads.reduce((sum, endpoint) => sum + recorder.samples(endpoint).length, 0)
      // CPU per request holds on a busy machine, where latencies measure the other work too.
      const perRead = (cores: number) => formatMs((cores * quietCpu.seconds * 1000) / count)
      console.log(
        `readers only, ${quietCpu.seconds.toFixed(1)} s: /stats p50 ${formatMs(percentile(quietStats, 0.5))} ms, p95 ${formatMs(percentile(quietStats, 0.95))} ms; server stall ${formatMs(quietStallMs)} ms; server CPU per read ${perRead(quietCpu.server)} ms (main thread ${perRead(quietCpu.serverMain)} ms) over ${count} reads`,
      )
      console.log(`  ${formatCpuShares(quietCpu)}`)
    }
    const errors = recorder.errors()
    if (errors.size === 0) console.log('errors: none')
    for (const [key, count] of errors) console.log(`error: ${key} × ${count}`)
    for (const [key, count] of recorder.networkErrors) console.log(`  ${key} × ${count}`)
    const targets = [
      ['0 errors', errors.size === 0],
      ['/stats p95 <= 100 ms', percentile(stats, 0.95) <= 100],
      ['event-loop stall <= 50 ms', serverStallMs <= 50],
    ] as const
    for (const [target, met] of targets) console.log(`target ${target}: ${met ? 'met' : 'MISSED'}`)
    failed = errors.size > 0
    if (server.errors().trim() !== '') {
      console.log(
        '\nthe server logged:\n' + server.errors().trim().split('\n').slice(-20).join('\n'),
      )
    }
  } finally {
    await server.stop()
  }
  process.exitCode = failed ? 1 : 0
}

await main()
