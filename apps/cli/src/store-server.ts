import { randomBytes } from 'node:crypto'
import { link, mkdir, readFile, rename, rmdir, stat, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { ProfhubClient } from './client.ts'
import { startServerProcess } from './embedded-server.ts'
import { CliError } from './errors.ts'

// One server per store: the store's SQLite file and its tmp/ folder (emptied at every start)
// belong to one process. `profhub view` records the server it starts in a state file in the
// store; the next `profhub view` on that store finds it there and uses it.

/** `<store>/profhub-view.json`. `url` is null while the owner is starting the server. */
export interface ViewState {
  version: 1
  url: string | null
  serverPid: number | null
  /** The `profhub view` that stops the server on Ctrl-C. */
  ownerPid: number
}

export const STATE_FILE = 'profhub-view.json'
const POLL_MS = 250

export type StoreServer =
  /** Another `profhub view` serves this store: use it, and leave it to that one. */
  | { kind: 'shared'; url: string; ownerPid: number }
  /** Ours to stop: started now, or left behind by a `profhub view` that is gone. */
  | { kind: 'owned'; url: string; exited: Promise<string>; stop(): Promise<void> }

/**
 * The server of the store in `dataDir`: the running one if there is one, else one started
 * from `serverScript()`. Waits (up to `waitMs`) while another `profhub view` is starting it.
 */
export async function acquireStoreServer(
  dataDir: string,
  serverScript: () => string,
  signal?: AbortSignal,
  waitMs = 180_000,
): Promise<StoreServer> {
  await mkdir(dataDir, { recursive: true })
  const statePath = path.join(dataDir, STATE_FILE)
  const deadline = Date.now() + waitMs
  for (;;) {
    signal?.throwIfAborted()
    const raw = await readFile(statePath, 'utf8').catch(() => null)
    if (raw === null) {
      const script = serverScript()
      if (await claimState(statePath)) return startOwned(statePath, script, dataDir, signal)
      continue
    }
    const state = parseState(raw)
    if (state?.url && state.serverPid !== null && isAlive(state.serverPid)) {
      const health = await new ProfhubClient(state.url).checkHealth(10_000)
      if (health.state === 'unhealthy') {
        throw new CliError(`the profhub server of ${dataDir} (${state.url}) ${health.message}`)
      }
      if (health.state === 'ok') {
        if (state.ownerPid !== process.pid && isAlive(state.ownerPid)) {
          return { kind: 'shared', url: state.url, ownerPid: state.ownerPid }
        }
        await writeState(statePath, { ...state, ownerPid: process.pid })
        return adoptOwned(statePath, state.url, state.serverPid)
      }
      // Its process is there but it does not answer: busy, or stuck. Starting a second server
      // on the store is not an option.
      if (Date.now() > deadline) {
        throw new CliError(
          `the profhub server of ${dataDir} (pid ${state.serverPid}, ${state.url}) does not answer: ${health.message}. Stop it, or delete ${statePath} if that process is not profhub`,
        )
      }
      await delay(POLL_MS)
      continue
    }
    if (state !== null && state.url === null && isAlive(state.ownerPid)) {
      // Another `profhub view` is starting the server: wait for its URL.
      if (Date.now() > deadline) {
        throw new CliError(
          `another profhub view (pid ${state.ownerPid}) is still starting the server of ${dataDir}`,
        )
      }
      await delay(POLL_MS)
      continue
    }
    // Left by a `profhub view` that is gone, with a server that no longer answers.
    await removeIfUnchanged(statePath, raw)
  }
}

async function startOwned(
  statePath: string,
  serverScript: string,
  dataDir: string,
  signal?: AbortSignal,
): Promise<StoreServer> {
  let server
  try {
    server = await startServerProcess(serverScript, dataDir, signal)
  } catch (error) {
    await removeOwnState(statePath)
    throw error
  }
  await writeState(statePath, {
    version: 1,
    url: server.url,
    serverPid: server.pid,
    ownerPid: process.pid,
  })
  return {
    kind: 'owned',
    url: server.url,
    exited: server.exited.then(() => server.stderrTail()),
    async stop() {
      await server.stop()
      await removeOwnState(statePath)
    },
  }
}

/** A server whose `profhub view` died: we stop it on Ctrl-C from now on. */
function adoptOwned(statePath: string, url: string, pid: number): StoreServer {
  const exited = (async () => {
    while (isAlive(pid)) await delay(1000)
    return ''
  })()
  return {
    kind: 'owned',
    url,
    exited,
    async stop() {
      signal(pid, 'SIGTERM')
      const deadline = Date.now() + 15_000
      while (isAlive(pid) && Date.now() < deadline) await delay(100)
      if (isAlive(pid)) signal(pid, 'SIGKILL')
      await removeOwnState(statePath)
    },
  }
}

/** Creates the state file only if there is none: link() of a complete file is atomic. */
async function claimState(statePath: string): Promise<boolean> {
  const temp = `${statePath}.${randomBytes(6).toString('hex')}.tmp`
  const claim: ViewState = { version: 1, url: null, serverPid: null, ownerPid: process.pid }
  await writeFile(temp, JSON.stringify(claim))
  try {
    await link(temp, statePath)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  } finally {
    await unlink(temp).catch(() => {})
  }
}

async function writeState(statePath: string, state: ViewState): Promise<void> {
  const temp = `${statePath}.${randomBytes(6).toString('hex')}.tmp`
  await writeFile(temp, JSON.stringify(state))
  await rename(temp, statePath)
}

async function removeOwnState(statePath: string): Promise<void> {
  const raw = await readFile(statePath, 'utf8').catch(() => null)
  if (raw !== null && parseState(raw)?.ownerPid === process.pid) {
    await removeIfUnchanged(statePath, raw)
  }
}

/**
 * Removes the state file if it still holds `raw`. Two processes that both found the same
 * stale file must not remove the claim the faster one made since: the check and the removal
 * happen under a lock (a directory, which mkdir creates atomically).
 */
async function removeIfUnchanged(statePath: string, raw: string): Promise<void> {
  const lock = `${statePath}.lock`
  for (;;) {
    try {
      await mkdir(lock)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      // Held for a few milliseconds at most: an old one was left by a killed process.
      const age = await stat(lock).then(
        (info) => Date.now() - info.mtimeMs,
        () => 0,
      )
      if (age > 10_000) await rmdir(lock).catch(() => {})
      else await delay(20)
    }
  }
  try {
    if ((await readFile(statePath, 'utf8').catch(() => null)) === raw) await unlink(statePath)
  } finally {
    await rmdir(lock).catch(() => {})
  }
}

/** The state file of the store in `dataDir`, if there is a valid one. */
export async function readViewState(dataDir: string): Promise<ViewState | null> {
  const raw = await readFile(path.join(dataDir, STATE_FILE), 'utf8').catch(() => null)
  return raw === null ? null : parseState(raw)
}

function parseState(raw: string): ViewState | null {
  try {
    const state = JSON.parse(raw) as Partial<ViewState>
    if (state.version !== 1 || !Number.isInteger(state.ownerPid)) return null
    return {
      version: 1,
      url: typeof state.url === 'string' ? state.url : null,
      serverPid: Number.isInteger(state.serverPid) ? (state.serverPid as number) : null,
      ownerPid: state.ownerPid as number,
    }
  } catch {
    return null
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists, but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // Already gone.
  }
}
