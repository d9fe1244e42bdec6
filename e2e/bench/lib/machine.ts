/**
 * Is the machine quiet enough for timings to mean anything? The load average before and after,
 * and the cores that work other than the benchmark's (this process, its browser, the server and
 * its converters: every descendant) used while it ran, from /proc (Linux).
 */
import { availableParallelism, loadavg } from 'node:os'
import { readCpu, type CpuReading } from '../../../scripts/load/cpu.ts'

export interface Quietness {
  loadBefore: number
  loadAfter: number
  /** Cores used on average by work other than the benchmark's, while it ran. */
  otherCores: number
  cores: number
  seconds: number
}

/** Above these the tables are withheld: the timings would measure the other work. */
export const MAX_LOAD_BEFORE = 1
export const MAX_OTHER_CORES = 0.25

export class MachineWatch {
  readonly #loadBefore = loadavg()[0]!
  readonly #start: CpuReading = readCpu(process.pid)

  /**
   * Waits (up to `maxSeconds`) for the 1-minute load average to settle under
   * MAX_LOAD_BEFORE, as after a build; resolves with the load then.
   */
  static async settle(maxSeconds: number, say: (text: string) => void): Promise<number> {
    const deadline = performance.now() + maxSeconds * 1000
    let load = loadavg()[0]!
    if (load > MAX_LOAD_BEFORE) say(`waiting for the load average (${load.toFixed(2)}) to settle…`)
    while (load > MAX_LOAD_BEFORE && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5000))
      load = loadavg()[0]!
    }
    return load
  }

  done(): Quietness {
    const end = readCpu(process.pid)
    const seconds = (end.at - this.#start.at) / 1000
    const busy = end.machineBusy - this.#start.machineBusy
    const ours = end.server - this.#start.server
    return {
      loadBefore: this.#loadBefore,
      loadAfter: loadavg()[0]!,
      otherCores: Math.max(0, busy - ours) / seconds,
      cores: availableParallelism(),
      seconds,
    }
  }
}

/** Why the tables are withheld, or null when the machine was quiet enough. */
export function tooBusy(q: Quietness): string | null {
  if (q.loadBefore > MAX_LOAD_BEFORE)
    return `the load average was ${q.loadBefore.toFixed(2)} when the benchmark started (at most ${MAX_LOAD_BEFORE})`
  if (!(q.otherCores <= MAX_OTHER_CORES))
    return `other work used ${q.otherCores.toFixed(2)} of ${q.cores} cores while it ran (at most ${MAX_OTHER_CORES})`
  return null
}

export function formatQuietness(q: Quietness): string {
  return (
    `Machine: ${q.cores} cores; 1-minute load average ${q.loadBefore.toFixed(2)} before, ` +
    `${q.loadAfter.toFixed(2)} after; other work used ${q.otherCores.toFixed(2)} cores on ` +
    `average over the ${Math.round(q.seconds)} s run`
  )
}
