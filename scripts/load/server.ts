/** The server under load: the compiled server on a free loopback port and a temp DATA_DIR. */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'

export const REPO = path.resolve(import.meta.dirname, '../..')
export const SERVER_JS = path.join(REPO, 'apps/server/dist/server.js')

export interface LoadServer {
  origin: string
  child: ChildProcess
  /** What the server wrote to stderr (warnings and errors: it logs at `warn`). */
  errors: () => string
  stop(): Promise<void>
}

/** `cpuProfileDir`: write the server's CPU profile there (`node --cpu-prof`) when it stops. */
export async function startServer(
  serverJs = SERVER_JS,
  cpuProfileDir?: string,
): Promise<LoadServer> {
  if (!existsSync(serverJs)) {
    throw new Error(`${serverJs} is missing: run \`pnpm build\` first (\`pnpm load\` does).`)
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'profhub-load-'))
  const nodeArgs = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : []
  const child = spawn(process.execPath, [...nodeArgs, serverJs], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      // Fifty uploaders from one address are the point here, not abuse.
      UPLOAD_RATE_LIMIT: '0',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = /profhub is running at (http:\/\/\S+)/.exec(stdout)
      if (match) resolve(match[1]!)
    })
    child.once('exit', (code) => reject(new Error(`the server exited (${code}):\n${stderr}`)))
  })
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
    await rm(dataDir, { recursive: true, force: true })
  }
  try {
    const origin = (await listening).replace('localhost', '127.0.0.1')
    // Listening is not ready: /api/health answers 200 once the store, shim and worker are.
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode})`)
      const ok = await fetch(`${origin}/api/health`).then(
        (response) => response.ok,
        () => false,
      )
      if (ok) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    return { origin, child, errors: () => stderr, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
