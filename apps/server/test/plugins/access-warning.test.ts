import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeAll, expect, it } from 'vitest'

// The compiled server, as users start it: what it says when it starts.
const SERVER_JS = path.resolve(import.meta.dirname, '../../dist/server.js')

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

/** Starts the server; its whole output (stdout and stderr) up to its "running at" line. */
async function startupOutput(
  env: Record<string, string>,
): Promise<{ url: string; output: string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'profhub-access-'))
  dirs.push(dataDir)
  const child = spawn(process.execPath, [SERVER_JS], {
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, AUTH_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let output = ''
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = /profhub is running at (http:\/\/\S+)/.exec(output)
      if (match) resolve({ url: match[1]!, output })
    }
    child.stdout!.on('data', (chunk: Buffer) => ((output += chunk.toString()), check()))
    child.stderr!.on('data', (chunk: Buffer) => ((output += chunk.toString()), check()))
    child.on('exit', (code) => reject(new Error(`the server exited (${code}):\n${output}`)))
  })
}

it('warns loudly when it listens on the network without a token', async () => {
  const { url, output } = await startupOutput({ HOST: '0.0.0.0' })
  expect(output).toContain('NO ACCESS TOKEN')
  expect(output).toContain('anyone who can reach it can list, change and delete every run')
  expect(output).toContain('set ALLOWED_HOSTS')
  // It still answers on its loopback name.
  expect((await fetch(`${url}/api/health`)).status).toBe(200)
}, 120_000)

it('does not warn on loopback, nor with a token', async () => {
  const loopback = await startupOutput({ HOST: '127.0.0.1' })
  expect(loopback.output).not.toContain('NO ACCESS TOKEN')
  const guarded = await startupOutput({
    HOST: '0.0.0.0',
    AUTH_TOKEN: 'team-token',
    ALLOWED_HOSTS: 'profhub.example',
  })
  expect(guarded.output).not.toContain('NO ACCESS TOKEN')
  expect(guarded.output).not.toContain('ALLOWED_HOSTS')
}, 120_000)
