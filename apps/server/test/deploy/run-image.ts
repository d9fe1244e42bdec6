import { type ChildProcess, spawn } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { expect } from 'vitest'

/** close-with-grace waits up to 10 s for requests in flight; an idle server exits at once. */
const STOP_TIMEOUT = 30_000

export interface RunningImage {
  /** `http://127.0.0.1:<port>`, from the "profhub is running at" line. */
  url: string
  /** Sends SIGTERM (`docker stop`) and resolves with the exit code; rejects past STOP_TIMEOUT. */
  stop(): Promise<number | null>
  /** Ends the process at once (cleanup after a failed test). */
  kill(): void
}

/** Starts the image's CMD in `cwd` and waits until /api/health answers 200. */
export async function startImage(
  argv: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<RunningImage> {
  const [command, ...args] = argv
  const child = spawn(command!, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  const kill = () => void child.kill('SIGKILL')
  try {
    const url = await addressOf(child)
    await expect
      .poll(async () => (await fetch(`${url}/api/health`).catch(() => null))?.status, {
        timeout: 120_000,
      })
      .toBe(200)
    const stop = async () => {
      const exited = exitCode(child)
      child.kill('SIGTERM')
      return withTimeout(exited, STOP_TIMEOUT, 'the server did not stop on SIGTERM')
    }
    return { url, stop, kill }
  } catch (error) {
    kill()
    throw error
  }
}

/** Runs a command (a HEALTHCHECK's) to its end: its exit code. */
export function runCommand(
  argv: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<number | null> {
  const [command, ...args] = argv
  return exitCode(spawn(command!, args, { cwd, env, stdio: 'ignore' }))
}

/** Every file under `dir` (relative, `/`-separated), skipping folders `descend` refuses. */
export async function listFiles(
  dir: string,
  descend: (name: string) => boolean,
): Promise<string[]> {
  const files: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!descend(entry.name)) continue
      const inner = await listFiles(path.join(dir, entry.name), descend)
      files.push(...inner.map((file) => `${entry.name}/${file}`))
    } else files.push(entry.name)
  }
  return files
}

/** The URL from the "profhub is running at" line; rejects if the server exits first. */
function addressOf(server: ChildProcess): Promise<string> {
  let output = ''
  return new Promise((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /profhub is running at (http:\/\/\S+)/.exec(output)
      if (match) resolve(match[1]!)
    }
    server.stdout!.on('data', read)
    server.stderr!.on('data', read)
    server.on('exit', (code) => reject(new Error(`the server exited (${code}):\n${output}`)))
  })
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)))
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
