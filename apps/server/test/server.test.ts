import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import path from 'node:path'
import { fixturePath } from '@profhub/fixtures'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'

// The compiled server, started as users start it: `node dist/server.js` (`pnpm start`).
const SERVER_JS = path.resolve(import.meta.dirname, '../dist/server.js')

interface Started {
  child: ChildProcess
  url: string
  output: () => string
}

const children: ChildProcess[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

beforeAll(() => {
  if (!existsSync(SERVER_JS)) {
    throw new Error(`${SERVER_JS} is missing: run \`pnpm build\` first (\`pnpm test\` does).`)
  }
})

/** Starts the server on a free port and resolves once it printed its address. */
async function startServer(env: Record<string, string> = {}): Promise<Started> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'profhub-start-'))
  dirs.push(dataDir)
  const child = spawn(process.execPath, [SERVER_JS], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`the server exited (${code}):\n${output}`)))
    child.stdout!.on('data', () => {
      const match = /profhub is running at (http:\/\/\S+)/.exec(output)
      if (match) resolve(match[1]!)
    })
  })
  return { child, url, output: () => output }
}

async function waitHealthy(url: string): Promise<void> {
  await expect
    .poll(async () => (await fetch(`${url}/api/health`).catch(() => null))?.status, {
      timeout: 120_000,
    })
    .toBe(200)
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)))
}

describe('the compiled server', () => {
  it('starts with plain node, answers, and stops cleanly on SIGINT', async () => {
    const { child, url } = await startServer()
    await waitHealthy(url)
    const exited = exitOf(child)
    child.kill('SIGINT')
    expect(await exited).toBe(0)
  })

  it('starts while every core is busy', async () => {
    // Busy loops at normal priority on every core, for as long as the start takes. With
    // Fastify's default plugin timeout (10 s) a start this slow used to abort.
    const hogs = Array.from({ length: availableParallelism() * 2 }, () =>
      spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
    )
    children.push(...hogs)
    const { child, url } = await startServer()
    await waitHealthy(url)
    const upload = new FormData()
    upload.append(
      'file',
      new Blob([await readFile(fixturePath('recursion-py3.11.prof'))]),
      'r.prof',
    )
    const response = await fetch(`${url}/api/runs`, { method: 'POST', body: upload })
    expect(response.status).toBe(201)
    for (const hog of hogs) hog.kill('SIGKILL')
    const exited = exitOf(child)
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })

  it('logs one short line for a refused request and nothing for the others', async () => {
    const { child, url, output } = await startServer({ LOG_LEVEL: 'info' })
    await waitHealthy(url)
    const before = output()
    expect((await fetch(`${url}/api/runs`)).status).toBe(200)
    const refused = await fetch(`${url}/api/runs/${'A'.repeat(22)}`)
    expect(refused.status).toBe(404)
    expect((await fetch(`${url}/api/nope`)).status).toBe(404)
    await expect.poll(() => output().slice(before.length)).toContain('/api/nope 404')
    const exited = exitOf(child)
    child.kill('SIGINT')
    await exited
    const lines = output().slice(before.length).trim().split('\n')
    // The 404 and the closing line; no JSON objects, no line for the 200.
    expect(lines.filter((line) => line.includes('/api/'))).toEqual([
      expect.stringMatching(/INFO.*GET \/api\/runs\/A{22} 404 Not Found: There is no run/),
      expect.stringMatching(/INFO.*GET \/api\/nope 404 There is no such API endpoint/),
    ])
    expect(lines.some((line) => line.trimStart().startsWith('{'))).toBe(false)
  })
})
