import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { type Finding, findProcesses, mapPool, SERVER_JS } from './common.ts'
import type { Mutant } from './mutate.ts'

export const HTTP_OUTCOMES = ['2xx', '400', '413', 'other4xx', '5xx', 'timeout', 'reset'] as const
export type HttpOutcome = (typeof HTTP_OUTCOMES)[number]

export interface HttpFuzzResult {
  tally: Record<HttpOutcome, number>
  elapsedMs: number
  findings: Finding[]
  /** What the checks after the uploads found wrong (each a line of explanation). */
  leftovers: string[]
}

const CONCURRENCY = 8
// After the last answer, how long the server may take to finish its own clean-up (temp files
// removed, converter children reaped) before what remains counts as left behind.
const SETTLE_MS = 15_000

/**
 * Uploads every mutant to a real compiled server (temp DATA_DIR, free port, no rate limit),
 * eight at a time, then checks that nothing was left behind and that every stored run opens.
 */
export async function fuzzHttp(
  indices: readonly number[],
  makeMutant: (index: number) => Mutant,
  timeLimitMs: number,
  onProgress?: (done: number, tally: Record<HttpOutcome, number>) => void,
  /** Called at once for each finding (a long run stopped later still keeps it). */
  onFinding?: (finding: Finding) => Promise<void>,
): Promise<HttpFuzzResult> {
  const started = Date.now()
  const tally = Object.fromEntries(HTTP_OUTCOMES.map((key) => [key, 0])) as Record<
    HttpOutcome,
    number
  >
  // Nothing to upload (a run split with --http-count 0): no server to start.
  if (!indices.length) return { tally, elapsedMs: 0, findings: [], leftovers: [] }
  if (!existsSync(SERVER_JS)) {
    throw new Error(`${SERVER_JS} is missing: run \`pnpm build\` first.`)
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'profhub-fuzz-http-'))
  const server = await startServer(dataDir)
  const findings: Finding[] = []
  const leftovers: string[] = []
  const created: { mutant: Mutant; id: string }[] = []
  let done = 0
  try {
    await mapPool(indices, CONCURRENCY, async (index) => {
      const mutant = makeMutant(index)
      const answer = await upload(server.url, mutant, timeLimitMs)
      tally[answer.outcome]++
      if (answer.outcome === '5xx' || answer.outcome === 'timeout' || answer.outcome === 'reset') {
        const detail = `${answer.detail}\n--- server output (end) ---\n${server.output().slice(-3000)}`
        const finding = { mutant, outcome: `http ${answer.outcome}`, detail }
        findings.push(finding)
        await onFinding?.(finding)
      }
      if (answer.id) created.push({ mutant, id: answer.id })
      onProgress?.(++done, tally)
    })
    await mapPool(created, CONCURRENCY, async ({ mutant, id }) => {
      const problem = await checkStats(server.url, id, timeLimitMs)
      if (!problem) return
      const finding = { mutant, outcome: 'http stats', detail: problem }
      findings.push(finding)
      await onFinding?.(finding)
    })
    leftovers.push(...(await checkLeftovers(server.child, dataDir)))
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      leftovers.push(`http: the server exited during the run:\n${server.output().slice(-3000)}`)
    }
  } finally {
    await stopServer(server.child)
    await rm(dataDir, { recursive: true, force: true })
  }
  return { tally, elapsedMs: Date.now() - started, findings, leftovers }
}

async function upload(url: string, mutant: Mutant, timeLimitMs: number) {
  const form = new FormData()
  form.append('file', new Blob([mutant.data]), `mutant-${mutant.index}.prof`)
  try {
    const response = await fetch(`${url}/api/runs`, {
      method: 'POST',
      body: form,
      signal: AbortSignal.timeout(timeLimitMs),
    })
    const text = await response.text()
    const status = response.status
    const outcome: HttpOutcome =
      status < 300
        ? '2xx'
        : status === 400
          ? '400'
          : status === 413
            ? '413'
            : status < 500
              ? 'other4xx'
              : '5xx'
    const id = status === 201 ? (JSON.parse(text) as { id: string }).id : undefined
    return { outcome, id, detail: `${status} ${text.slice(0, 2000)}` }
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError'
    const outcome: HttpOutcome = timedOut ? 'timeout' : 'reset'
    const cause = error instanceof Error && error.cause ? ` (${String(error.cause)})` : ''
    return { outcome, id: undefined, detail: `${String(error)}${cause}` }
  }
}

/** Why run `id` does not open (its /stats), or null when it does. */
async function checkStats(url: string, id: string, timeLimitMs: number): Promise<string | null> {
  try {
    const response = await fetch(`${url}/api/runs/${id}/stats?limit=50`, {
      signal: AbortSignal.timeout(timeLimitMs),
    })
    const text = await response.text()
    if (response.status !== 200) return `GET /stats of ${id}: ${response.status} ${text}`
    const body = JSON.parse(text) as { rows?: unknown }
    return Array.isArray(body.rows) ? null : `GET /stats of ${id}: no rows: ${text.slice(0, 500)}`
  } catch (error) {
    return `GET /stats of ${id}: ${String(error)}`
  }
}

/** Waits (up to SETTLE_MS) for DATA_DIR/tmp to empty and the server's python children to end. */
async function checkLeftovers(server: ChildProcess, dataDir: string): Promise<string[]> {
  const tmp = path.join(dataDir, 'tmp')
  const look = () => {
    const problems: string[] = []
    const files = existsSync(tmp) ? readdirSync(tmp) : []
    if (files.length) problems.push(`http: DATA_DIR/tmp not empty: ${files.join(', ')}`)
    const children = findProcesses((cmdline, ppid) => ppid === server.pid && /python/.test(cmdline))
    for (const child of children) problems.push(`http: python child left: ${child}`)
    return problems
  }
  const deadline = Date.now() + SETTLE_MS
  let problems = look()
  while (problems.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    problems = look()
  }
  return problems
}

interface Server {
  child: ChildProcess
  url: string
  output: () => string
}

function startServer(dataDir: string): Promise<Server> {
  const child = spawn(process.execPath, [SERVER_JS], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      UPLOAD_RATE_LIMIT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = /profhub is running at (http:\/\/\S+)/.exec(output)
      if (match) resolve({ child, url: match[1]!, output: () => output })
    }
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-100_000)
      check()
    }
    child.stdout!.on('data', keep)
    child.stderr!.on('data', keep)
    child.on('exit', (code) => reject(new Error(`the server exited (${code}):\n${output}`)))
  })
}

/** SIGTERM (it closes gracefully), SIGKILL if it has not exited 15 s later. */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
  await exited
  clearTimeout(timer)
}
