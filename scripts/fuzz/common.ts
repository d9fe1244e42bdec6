import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Mutant, Source } from './mutate.ts'

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..')
export const SHIM_PATH = path.join(REPO_ROOT, 'apps/server/shim/pstats_to_json.py')
export const SERVER_JS = path.join(REPO_ROOT, 'apps/server/dist/server.js')
/** The interpreter the server picks when PYTHON is not set (config.ts). */
export const PYTHON =
  process.env.PYTHON || (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3')

// The two biggest fixtures (1 MB, 3.4 MB) take seconds per run: a few of their mutants would
// cost as much as hundreds of the others, and they hold nothing the smaller ones lack.
const MAX_SOURCE_BYTES = 256 * 1024

/** The real fixtures to mutate: profiles of every Python and profiler, and the bad files. */
export function loadSources(): Source[] {
  const sources: Source[] = []
  for (const dir of ['fixtures/profiles', 'fixtures/bad']) {
    for (const name of readdirSync(path.join(REPO_ROOT, dir)).sort()) {
      if (!name.endsWith('.prof')) continue
      const data = new Uint8Array(readFileSync(path.join(REPO_ROOT, dir, name)))
      if (data.length <= MAX_SOURCE_BYTES) sources.push({ name, data })
    }
  }
  return sources
}

/** Runs `work` on every item with at most `concurrency` at a time; results in item order. */
export async function mapPool<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await work(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
  return results
}

export interface Finding {
  mutant: Mutant
  /** Where it went wrong: `shim exit 1`, `shim hang`, `http 500`, … */
  outcome: string
  detail: string
}

/** Writes each finding as `<stage>-<index>.prof` plus a `.txt` with its recipe and detail. */
export async function saveFindings(dir: string, seed: number, findings: Finding[]) {
  if (!findings.length) return
  await mkdir(dir, { recursive: true })
  for (const { mutant, outcome, detail } of findings) {
    const base = path.join(dir, `seed${seed}-${mutant.index}-${outcome.replace(/\W+/g, '-')}`)
    await writeFile(`${base}.prof`, mutant.data)
    const text = `seed ${seed}, mutant ${mutant.index}\n${mutant.recipe}\n${outcome}\n\n${detail}\n`
    await writeFile(`${base}.txt`, text)
  }
}

/**
 * Other processes (pid: command line) for which `test(commandLine, parentPid, cwd)` holds: what
 * a run left behind. Linux only (/proc); elsewhere none are found.
 */
export function findProcesses(test: (cmdline: string, ppid: number, cwd: string) => boolean) {
  if (!existsSync('/proc/self')) return []
  const found: string[] = []
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()
      const ppid = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1])
      let cwd = ''
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`)
      } catch {
        // another user's process: its cwd is not ours to read
      }
      if (test(cmdline, ppid, cwd)) found.push(`${pid}: ${cmdline}`)
    } catch {
      // it exited while we looked
    }
  }
  return found
}
