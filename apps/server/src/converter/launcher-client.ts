import { type ChildProcess, type ExecFileException, fork } from 'node:child_process'

/** execFile's options that the launcher passes on, and `nice`: a CPU priority for the child. */
export interface LaunchOptions {
  timeout?: number
  killSignal?: NodeJS.Signals
  maxBuffer?: number
  env?: NodeJS.ProcessEnv
  nice?: number
}

/** What execFile's callback receives (the output as UTF-8 text). */
export interface LaunchResult {
  error: ExecFileException | null
  stdout: string
  stderr: string
}

interface Answer {
  id: number
  error: {
    message: string
    code?: string | number
    killed?: boolean
    signal?: NodeJS.Signals
  } | null
  stdout: string
  stderr: string
}

// Compiled, the launcher is its own bundle beside the server's (dist/launcher.js); from the
// source tree (tsx, Vitest) it is the plain JavaScript file beside this one.
const LAUNCHER = import.meta.url.endsWith('.ts')
  ? new URL('./launcher.mjs', import.meta.url)
  : new URL('./launcher.js', import.meta.url)

/**
 * Runs programs through a small helper process (launcher.mjs) instead of forking this one, whose
 * fork cost grows with its memory and stalls the event loop. One per process, started on first
 * use (the converter's probe at start, while the server is small), restarted if it dies; it
 * exits when this process does.
 */
class Launcher {
  #child: ChildProcess | null = null
  readonly #pending = new Map<number, (result: LaunchResult) => void>()
  #nextId = 0

  run(file: string, args: readonly string[], options: LaunchOptions): Promise<LaunchResult> {
    const child = this.#started()
    const id = this.#nextId++
    return new Promise((resolve) => {
      this.#pending.set(id, resolve)
      // Waiting for an answer keeps this process alive; an idle launcher does not.
      child.channel?.ref()
      child.send({ id, file, args, options })
    })
  }

  #started(): ChildProcess {
    if (this.#child !== null) return this.#child
    const child = fork(LAUNCHER, [], {
      execArgv: [],
      // Nothing of the server's environment: each request says what its child gets. (A
      // launcher with DATA_DIR would also look like a second server on the store to `ps`.)
      env: {},
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'json',
    })
    child.unref()
    child.channel?.unref()
    child.on('message', (answer: Answer) => {
      const resolve = this.#pending.get(answer.id)
      this.#pending.delete(answer.id)
      if (this.#pending.size === 0) child.channel?.unref()
      resolve?.({
        error: answer.error && Object.assign(new Error(answer.error.message), answer.error),
        stdout: answer.stdout,
        stderr: answer.stderr,
      })
    })
    const lost = () => {
      if (this.#child !== child) return
      this.#child = null
      const error = Object.assign(new Error('the process launcher exited'), { code: 'ELAUNCHER' })
      for (const resolve of this.#pending.values()) resolve({ error, stdout: '', stderr: '' })
      this.#pending.clear()
    }
    child.on('exit', lost)
    child.on('error', lost)
    this.#child = child
    return child
  }
}

export const launcher = new Launcher()
