import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker, type TransferListItem } from 'node:worker_threads'
import type { ProfileDocument, SeriesFunctions } from '@profhub/profile'
import type { FunctionRef } from './ancestors.ts'
import type { StatsColumns } from './stats-table.ts'

/** What the store needs of a converted document (the rest stays in its JSON text). */
export type ProfileMeta = Pick<ProfileDocument, 'sourceFormat' | 'pythonVersion' | 'summary'>

export type WorkerTask =
  /** Answer at once: the worker has loaded its modules. */
  | { kind: 'ping' }
  /** Read, parse and check the shim's output file. */
  | { kind: 'check'; path: string }
  /** Read a stored document and build its stats table. */
  | { kind: 'table'; path: string }
  /**
   * Write a stored document (its JSON bytes, transferred) as one of the exports made in
   * JavaScript; `name` is the run's name, which some formats carry.
   */
  | { kind: 'export'; format: WorkerExportFormat; document: ArrayBuffer; name: string }
  /** A stored document's series rows (its JSON bytes, transferred; any formatVersion). */
  | { kind: 'series'; document: ArrayBuffer }
  /** Every function that calls each target in a stored document (`computeAncestors`). */
  | { kind: 'ancestors'; document: ArrayBuffer; targets: FunctionRef[] }
  /** The charts' call tree of a stored document (`CHART_TREE_OPTIONS`), packed. */
  | { kind: 'tree'; document: ArrayBuffer }

/** The exports written from the stored document (`@profhub/profile`'s writers). */
export type WorkerExportFormat = 'csv' | 'callgrind' | 'speedscope'

export type WorkerAnswer =
  | { kind: 'pong' }
  /** `series`: the rows the run adds to its series (`seriesFunctionsOf`). */
  | { kind: 'checked'; meta: ProfileMeta; series: SeriesFunctions }
  | { kind: 'invalid-json'; message: string }
  | { kind: 'invalid'; problem: string }
  | { kind: 'table'; columns: StatsColumns }
  /** The export's UTF-8 bytes (transferred). */
  | { kind: 'exported'; bytes: ArrayBuffer }
  | { kind: 'series'; series: SeriesFunctions }
  /** One list per target, in the targets' order. */
  | { kind: 'ancestors'; ancestors: FunctionRef[][] }
  /** `encodePackedTree`'s bytes (transferred). */
  | { kind: 'tree'; bytes: ArrayBuffer }
  | { kind: 'missing' }
  | { kind: 'failed'; message: string }

/** The error for an answer the caller did not ask for: the worker's own message if it failed. */
export function unexpectedAnswer(answer: WorkerAnswer): Error {
  return new Error(`profile worker: ${answer.kind === 'failed' ? answer.message : answer.kind}`)
}

// Compiled (dist/server.js), the worker is its own bundle beside the server's: dist/profile-worker.js.
// From source (tsx, Vitest) it is TypeScript: a small script registers tsx's loader, then imports
// it; `--import tsx` in the worker's execArgv does not work on Node 20 (the entry is loaded
// before the hooks are on).
const COMPILED = !import.meta.url.endsWith('.ts')

function startWorker(): Worker {
  if (COMPILED) return new Worker(new URL('./profile-worker.js', import.meta.url), { execArgv: [] })
  const workerUrl = new URL('./profile-worker.ts', import.meta.url).href
  // tsx/esm/api's ESM build (require.resolve finds the CommonJS one, next to it).
  const tsxApi = pathToFileURL(
    path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/esm/api')), 'index.mjs'),
  ).href
  const bootstrap = `import(${JSON.stringify(tsxApi)})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl)}) })`
  return new Worker(bootstrap, { eval: true, execArgv: [] })
}

interface Job {
  task: WorkerTask
  transfer: TransferListItem[]
  resolve: (answer: WorkerAnswer) => void
  reject: (error: unknown) => void
}

/**
 * A small pool of worker threads (started on demand, kept while the app runs) that parse and
 * check big JSON documents so that the event loop never does. One task per worker at a time;
 * the others wait in order. A worker that dies fails its task and is replaced on demand.
 */
export class ProfileWorkers {
  readonly #size: number
  readonly #idle: Worker[] = []
  readonly #all = new Set<Worker>()
  readonly #queue: Job[] = []
  #closed = false
  #warmed: Promise<void> | null = null

  constructor(size = 2) {
    this.#size = size
  }

  /** `transfer`: buffers of the task to move to the worker rather than copy. */
  run(task: WorkerTask, transfer: TransferListItem[] = []): Promise<WorkerAnswer> {
    if (this.#closed) return Promise.reject(new Error('the profile workers are closed'))
    return new Promise((resolve, reject) => {
      this.#queue.push({ task, transfer, resolve, reject })
      this.#dispatch()
    })
  }

  /**
   * Starts a worker now and resolves once it has loaded its modules (it answers a ping), so
   * that the first upload does not wait for one (about 0.8 s under tsx, 0.1–0.3 s compiled).
   * The server says it is healthy only once this is done (`whenWarm`).
   */
  warm(): Promise<void> {
    this.#warmed ??= this.run({ kind: 'ping' }).then((answer) => {
      if (answer.kind !== 'pong') throw new Error(`profile worker: ${answer.kind} to a ping`)
    })
    return this.#warmed
  }

  /** Resolves once `warm()` has (at once if it was never asked for: a shared pool in tests). */
  whenWarm(): Promise<void> {
    return this.#warmed ?? Promise.resolve()
  }

  async close(): Promise<void> {
    this.#closed = true
    for (const job of this.#queue.splice(0)) job.reject(new Error('the profile workers closed'))
    await Promise.all([...this.#all].map((worker) => worker.terminate()))
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const worker = this.#idle.pop() ?? (this.#all.size < this.#size ? this.#spawn() : null)
      if (worker === null) return
      this.#start(worker, this.#queue.shift()!)
    }
  }

  #spawn(): Worker {
    const worker = startWorker()
    this.#all.add(worker)
    worker.on('exit', () => {
      this.#all.delete(worker)
      const idle = this.#idle.indexOf(worker)
      if (idle !== -1) this.#idle.splice(idle, 1)
    })
    return worker
  }

  #start(worker: Worker, job: Job): void {
    worker.ref()
    const finish = (settle: () => void, keep: boolean) => {
      worker.off('message', onMessage)
      worker.off('error', onError)
      worker.off('exit', onExit)
      settle()
      if (keep && !this.#closed) {
        // An idle worker must not keep the process alive.
        worker.unref()
        this.#idle.push(worker)
      } else {
        this.#all.delete(worker)
        void worker.terminate()
      }
      this.#dispatch()
    }
    const onMessage = (answer: WorkerAnswer) => finish(() => job.resolve(answer), true)
    const onError = (error: Error) => finish(() => job.reject(error), false)
    const onExit = (code: number) =>
      finish(() => job.reject(new Error(`profile worker exited (${code})`)), false)
    worker.on('message', onMessage)
    worker.on('error', onError)
    worker.on('exit', onExit)
    worker.postMessage(job.task, job.transfer)
  }
}
