import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeAll } from 'vitest'

/** The compiled server, started as users start it (`node dist/server.js`, `pnpm start`). */
export const SERVER_JS = path.resolve(import.meta.dirname, '../dist/server.js')

export interface CompiledServer {
  child: ChildProcess
  /** `http://127.0.0.1:<port>`, from its "profhub is running at" line. */
  url: string
  /** Everything it printed so far, stdout and stderr. */
  output: () => string
}

/**
 * Registers, for the calling test file: a check that `pnpm build` made the server, and the
 * cleanup of every server started (SIGKILL) and its temp DATA_DIR after each test.
 */
export function useCompiledServers(): (env?: Record<string, string>) => Promise<CompiledServer> {
  const children: ChildProcess[] = []
  const dirs: string[] = []
  beforeAll(() => {
    if (!existsSync(SERVER_JS)) {
      throw new Error(`${SERVER_JS} is missing: run \`pnpm build\` first (\`pnpm test\` does).`)
    }
  })
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL')
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
  })

  /** Starts one on a free port and a fresh DATA_DIR; resolves once it printed its address. */
  return async function startServer(env = {}) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'profhub-start-'))
    dirs.push(dataDir)
    const child = spawn(process.execPath, [SERVER_JS], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.push(child)
    let output = ''
    const url = await new Promise<string>((resolve, reject) => {
      const check = () => {
        const match = /profhub is running at (http:\/\/\S+)/.exec(output)
        if (match) resolve(match[1]!)
      }
      child.stdout!.on('data', (chunk: Buffer) => ((output += chunk.toString()), check()))
      child.stderr!.on('data', (chunk: Buffer) => ((output += chunk.toString()), check()))
      child.on('exit', (code) => reject(new Error(`the server exited (${code}):\n${output}`)))
    })
    return { child, url, output: () => output }
  }
}
