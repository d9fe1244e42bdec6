/**
 * Who used the machine's cores during the load: the load client itself, the server with every
 * process it started (launcher, converters, compressors), and everything else. On a small
 * machine the client and other work take cores the server would have had, so latencies alone
 * do not say what the server does on an idle one. Linux only (/proc); elsewhere, NaN.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'

const TICKS_PER_SECOND = 100

/** CPU seconds so far: the machine's busy and total time, the server tree's, this process's. */
export interface CpuReading {
  at: number
  machineBusy: number
  machineTotal: number
  server: number
  /** The server's main thread alone: what it spends there, every other request waits for. */
  serverMain: number
  client: number
}

export interface CpuShares {
  seconds: number
  /** Cores used on average (1 = one core all the time). */
  client: number
  server: number
  serverMain: number
  others: number
  /** The machine's cores, and how many were idle. */
  cores: number
  idle: number
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return null
  }
}

/**
 * [parent pid, own + reaped children's CPU seconds] of a process (or of one of its threads:
 * `/proc/PID/task/TID`), or null once it is gone.
 */
function processTimes(pid: number, dir = `/proc/${pid}`): [number, number] | null {
  const stat = readText(`${dir}/stat`)
  if (stat === null) return null
  // The command name may hold spaces and parentheses: the fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // Fields 4 (ppid) and 14–17 (utime, stime, cutime, cstime) of proc(5), from field 3 here.
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0)
  return [Number(fields[1]), ticks / TICKS_PER_SECOND]
}

/**
 * The CPU seconds of `root` and its live descendants. A process's reaped children are in its
 * own count (cutime): a finished converter is in its launcher's; one running now, in its own.
 */
function treeSeconds(root: number): number {
  const parents = new Map<number, number>()
  const seconds = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const times = processTimes(Number(entry))
    if (times === null) continue
    parents.set(Number(entry), times[0])
    seconds.set(Number(entry), times[1])
  }
  let total = 0
  for (const [pid, own] of seconds) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parents.get(p)) {
      if (p === root) {
        total += own
        break
      }
    }
  }
  return total
}

export function readCpu(serverPid: number | undefined): CpuReading {
  const usage = process.cpuUsage()
  const line = readText('/proc/stat')?.split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number)
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  const total = line ? line.slice(0, 8).reduce((a, b) => a + b, 0) : NaN
  const idle = line ? line[3]! + line[4]! : NaN
  return {
    at: performance.now(),
    machineBusy: (total - idle) / TICKS_PER_SECOND,
    machineTotal: total / TICKS_PER_SECOND,
    server: serverPid === undefined ? NaN : treeSeconds(serverPid),
    serverMain:
      serverPid === undefined
        ? NaN
        : (processTimes(serverPid, `/proc/${serverPid}/task/${serverPid}`)?.[1] ?? NaN),
    client: (usage.user + usage.system) / 1e6,
  }
}

export function cpuShares(from: CpuReading, to: CpuReading): CpuShares {
  const seconds = (to.at - from.at) / 1000
  const cores = availableParallelism()
  const perCore = (value: number) => value / seconds
  const busy = perCore(to.machineBusy - from.machineBusy)
  const client = perCore(to.client - from.client)
  const server = perCore(to.server - from.server)
  return {
    seconds,
    client,
    server,
    serverMain: perCore(to.serverMain - from.serverMain),
    others: Math.max(0, busy - client - server),
    cores,
    idle: Math.max(0, cores - busy),
  }
}

export function formatCpuShares(shares: CpuShares): string {
  const f = (cores: number) => (Number.isNaN(cores) ? '-' : cores.toFixed(2))
  return (
    `cores used (of ${shares.cores}): server ${f(shares.server)} (its main thread ` +
    `${f(shares.serverMain)}; the rest: workers, converters, compressors), load client ${f(shares.client)}, other work ${f(shares.others)}, idle ${f(shares.idle)}`
  )
}
