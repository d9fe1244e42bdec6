import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { CliError } from './errors.ts'

/** This package's folder: the bundle runs from `<root>/dist/`, the sources from `<root>/src/`. */
export const cliRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/**
 * The compiled server: `apps/server/dist/server.js` beside us in the repository (its
 * package.json says so: an installed package's parent folder is someone's node_modules), else
 * `<cli>/server/dist/server.js`, copied into the package when it is packed.
 */
export function findServerScript(root = cliRoot): string {
  const inRepository = path.join(root, '..', 'server', 'dist', 'server.js')
  const inPackage = path.join(root, 'server', 'dist', 'server.js')
  if (isServerPackage(path.join(root, '..', 'server'))) {
    if (existsSync(inRepository)) return inRepository
    throw new CliError(
      `profhub's server is not built: run \`pnpm build\` at the repository root (${inRepository} is missing)`,
    )
  }
  if (existsSync(inPackage)) return inPackage
  throw new CliError(
    `profhub's server is missing from this installation (${inPackage}): reinstall profhub`,
  )
}

function isServerPackage(dir: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))
    return (manifest as { name?: unknown }).name === '@profhub/server'
  } catch {
    return false
  }
}

// The one line the server prints on stdout once it listens (apps/server/src/server.ts).
const READY_LINE = /^profhub is running at (https?:\/\/\S+) \(data in /
const STDERR_KEPT = 8 * 1024

export interface ServerProcess {
  url: string
  pid: number
  /** Resolves when the process has exited, however that happened. */
  exited: Promise<void>
  /** The last lines it wrote on stderr (for a message when it fails). */
  stderrTail(): string
  /** SIGTERM (the server closes gracefully), SIGKILL if it is still there after `graceMs`. */
  stop(graceMs?: number): Promise<void>
}

/**
 * Starts `node <serverScript>` on a free loopback port with `dataDir` as its store and waits
 * for its "running at" line. It gets a process group of its own, so that Ctrl-C in the
 * terminal reaches only us and the server is stopped once, by us (a second signal makes it
 * exit at once, without closing the store). Its log lines (warnings and errors) go to our
 * stderr.
 */
export async function startServerProcess(
  serverScript: string,
  dataDir: string,
  signal?: AbortSignal,
  startTimeoutMs = 120_000,
): Promise<ServerProcess> {
  signal?.throwIfAborted()
  const child = spawn(process.execPath, [serverScript], {
    env: serverEnvironment(process.env, dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let ready = false
  let stderr = ''
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT)
    if (ready) process.stderr.write(chunk)
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new CliError(`the server did not start within ${startTimeoutMs / 1000} s`))
    }, startTimeoutMs)
    // Ctrl-C while it starts: let it close (it may have opened the store), then give up.
    // Only while it starts: once it is ready, stop() sends the one SIGTERM (a second one
    // makes the server exit at once, before its store is closed).
    const onAbort = () => {
      clearTimeout(timer)
      child.kill('SIGTERM')
      reject(signal!.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      const match = ready ? null : READY_LINE.exec(line)
      if (match) {
        ready = true
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        resolve(match[1]!)
      } else {
        process.stderr.write(`${line}\n`)
      }
    })
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(new CliError(`could not start the server: ${error.message}`))
    })
    // 'close' rather than 'exit': the streams are drained, stderr is complete.
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      if (ready) return
      const how = signal === null ? `with code ${code}` : `on ${signal}`
      reject(new CliError(`the server stopped ${how} while starting:\n${stderr.trimEnd()}`))
    })
  })

  return {
    url,
    pid: child.pid!,
    exited,
    stderrTail: () => stderr,
    stop: (graceMs) => stopChild(child, exited, graceMs),
  }
}

/**
 * The environment of a per-user server: this user's own, minus what would point it at another
 * store (a team database or bucket) or lock the person out of it (AUTH_TOKEN), plus a free
 * loopback port and quiet logs.
 */
export function serverEnvironment(env: NodeJS.ProcessEnv, dataDir: string): NodeJS.ProcessEnv {
  const own = { ...env }
  for (const name of ['AUTH_TOKEN', 'DATABASE_URL', 'S3_ENDPOINT', 'S3_BUCKET', 'WEB_DIST']) {
    delete own[name]
  }
  return { ...own, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' }
}

async function stopChild(child: ChildProcess, exited: Promise<void>, graceMs = 15_000) {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}
