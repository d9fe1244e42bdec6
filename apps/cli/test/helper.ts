import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { onTestFinished } from 'vitest'
import { CLI_BUNDLE, buildCli } from '../scripts/build.ts'

// The fixtures by path rather than as a workspace dependency: this package is packed and
// published, and pnpm cannot pack a dev dependency on the unversioned @profhub/fixtures.
export { fixturePath, readSummary } from '../../../fixtures/index.ts'

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..')
export const SERVER_SCRIPT = path.join(REPO_ROOT, 'apps/server/dist/server.js')

/**
 * For beforeAll: the compiled server must be there (the test command builds it first), and
 * the command is bundled afresh, so that the tests run what the sources say.
 */
export async function prepareCli(): Promise<void> {
  if (!existsSync(SERVER_SCRIPT)) {
    throw new Error(
      `${SERVER_SCRIPT} is missing: run \`pnpm build\` at the repository root before these tests`,
    )
  }
  await buildCli()
}

/** A temp folder, removed when the test ends. */
export async function tempDir(prefix = 'profhub-cli-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/**
 * The environment of a command under test: nothing of the developer's own profhub settings, a
 * store of its own (XDG_DATA_HOME), and a "browser" that only records the links it is given.
 */
export async function cliEnv(extra: Record<string, string> = {}) {
  const home = await tempDir('profhub-cli-home-')
  const opened = path.join(home, 'opened.txt')
  const browser = path.join(home, 'record-browser.sh')
  await writeFile(browser, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${opened}'\n`)
  await chmod(browser, 0o755)
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const name of ['PROFHUB_URL', 'PROFHUB_TOKEN', 'AUTH_TOKEN', 'DATA_DIR', 'PORT']) {
    delete env[name]
  }
  return {
    env: { ...env, XDG_DATA_HOME: path.join(home, 'data'), BROWSER: browser, ...extra },
    home,
    /** The links the "browser" was asked to open so far. */
    opened: async () =>
      (await readFile(opened, 'utf8').catch(() => '')).split('\n').filter((line) => line !== ''),
  }
}

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `node dist/profhub.js ...args` to its end. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { cwd?: string; command?: string[] } = {},
): Promise<CliResult> {
  const [file, ...prefix] = options.command ?? [process.execPath, CLI_BUNDLE]
  const child = spawn(file!, [...prefix, ...args], {
    env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** A `profhub view` left running: its output so far, and a way to wait for more. */
export interface RunningCli {
  child: ChildProcess
  stdoutLines: string[]
  stderr(): string
  /** Waits until stdout has `count` lines (or the process ends first: an error). */
  waitForLines(count: number): Promise<string[]>
  /** Waits until stderr contains `text`. */
  waitForStderr(text: string): Promise<void>
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export function startCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  command: string[] = [process.execPath, CLI_BUNDLE],
): RunningCli {
  const [file, ...prefix] = command
  const child = spawn(file!, [...prefix, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const stdoutLines: string[] = []
  let stderr = ''
  const waiters = new Set<() => void>()
  const notify = () => waiters.forEach((waiter) => waiter())
  createInterface({ input: child.stdout! }).on('line', (line) => {
    stdoutLines.push(line)
    notify()
  })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
    notify()
  })
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => {
      resolve({ code, signal })
      notify()
    }),
  )
  let ended = false
  void exit.then(() => (ended = true))
  onTestFinished(async () => {
    if (!ended) {
      child.kill('SIGINT')
      await exit
    }
  })
  const waitFor = (done: () => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (done()) {
          waiters.delete(check)
          resolve()
        } else if (ended || child.exitCode !== null) {
          waiters.delete(check)
          reject(new Error(`profhub ended before ${what}; stderr:\n${stderr}`))
        }
      }
      waiters.add(check)
      check()
    })
  return {
    child,
    stdoutLines,
    stderr: () => stderr,
    async waitForLines(count) {
      await waitFor(() => stdoutLines.length >= count, `printing ${count} lines`)
      return stdoutLines.slice(0, count)
    },
    waitForStderr: (text) => waitFor(() => stderr.includes(text), `writing "${text}"`),
    exit,
  }
}

export interface TestServer {
  url: string
  dataDir: string
  process: ChildProcess
}

/** The compiled server on a free port and a temp store, as users run it; stopped at the end. */
export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = await tempDir('profhub-cli-server-')
  const child = spawn(process.execPath, [SERVER_SCRIPT], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = new Promise((resolve) => child.once('close', resolve))
  onTestFinished(async () => {
    child.kill('SIGTERM')
    await exited
  })
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^profhub is running at (\S+) /.exec(line)
      if (match) resolve(match[1]!)
    })
    child.once('close', (code) =>
      reject(new Error(`the server stopped (${code}) before listening`)),
    )
  })
  return { url, dataDir, process: child }
}

/** A loopback port nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (typeof address !== 'object' || address === null) throw new Error('no port')
  return address.port
}

/** Whether something accepts connections on `url`'s port. */
export async function isListening(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(10_000) })
    return true
  } catch {
    return false
  }
}

export async function getJson(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url)
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`)
  return (await response.json()) as Record<string, unknown>
}

/** `/runs/<id>` → `<id>` */
export function runIdOf(link: string): string {
  const match = /\/runs\/([A-Za-z0-9_-]+)$/.exec(link)
  if (!match) throw new Error(`not a run link: ${link}`)
  return match[1]!
}

/**
 * Runs the command with a terminal as its stdout and stderr (util-linux `script` makes the
 * pseudo-terminal), in `cwd`. Returns everything it wrote, with the terminal's CRLFs as LFs.
 */
export async function runInTerminal(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd?: string,
): Promise<{ code: number | null; output: string }> {
  if (!existsSync('/usr/bin/script')) {
    throw new Error(
      'these tests need `script` from util-linux for a terminal: apt-get install bsdutils',
    )
  }
  const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`
  const command = [process.execPath, CLI_BUNDLE, ...args].map(quote).join(' ')
  const result = await runCli(['-qefc', command, '/dev/null'], env, {
    cwd,
    command: ['/usr/bin/script'],
  })
  return { code: result.code, output: (result.stdout + result.stderr).replaceAll('\r\n', '\n') }
}

/** Pids of the processes whose environment has `DATA_DIR=<dataDir>` (Linux: /proc). */
export async function serversOnStore(dataDir: string): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry))
  const found: number[] = []
  for (const pid of pids) {
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '')
    if (environ.split('\0').includes(`DATA_DIR=${dataDir}`)) found.push(Number(pid))
  }
  return found
}
