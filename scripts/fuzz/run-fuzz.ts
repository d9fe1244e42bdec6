import { availableParallelism } from 'node:os'
import { type Finding, loadSources, saveFindings } from './common.ts'
import { fuzzHttp, HTTP_OUTCOMES, type HttpFuzzResult } from './http-fuzz.ts'
import { buildMutant } from './mutate.ts'
import { fuzzShim, SHIM_OUTCOMES, type ShimFuzzResult } from './shim-fuzz.ts'

export interface FuzzOptions {
  seed: number
  /** Mutants run through the shim directly: numbers first … first + count - 1. */
  count: number
  first: number
  /** Shim runs at once (default: one per core). */
  jobs: number
  /** Mutants uploaded to the compiled server. */
  httpCount: number
  /** Per shim run and per HTTP request. */
  timeLimitMs: number
  /** Where reproducers of findings go (none written when undefined). */
  findingsDir?: string
  log?: (line: string) => void
}

export interface FuzzResult {
  shim: ShimFuzzResult
  http: HttpFuzzResult
  findings: Finding[]
  leftovers: string[]
  elapsedMs: number
  /** False on any bug, hang, 5xx, timeout/reset, broken run or leftover. */
  ok: boolean
}

// HTTP mutants are numbered from here, so that changing --count does not change them (and the
// two stages never try the same mutant).
export const HTTP_FIRST_INDEX = 1_000_000

export const DEFAULT_OPTIONS: FuzzOptions = {
  seed: 1,
  count: 10_000,
  first: 0,
  jobs: availableParallelism(),
  httpCount: 2_000,
  timeLimitMs: 30_000,
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  const started = Date.now()
  const log = options.log ?? (() => {})
  const sources = loadSources()
  const makeMutant = (index: number) => buildMutant(sources, options.seed, index)
  const { findingsDir } = options
  const save = findingsDir
    ? (finding: Finding) => saveFindings(findingsDir, options.seed, [finding])
    : undefined
  const progress = (stage: string, total: number) => (done: number, tally: object) => {
    if (done % 500 === 0 || done === total)
      log(`${stage}: ${done}/${total} ${JSON.stringify(tally)}`)
  }

  log(`seed ${options.seed}: ${sources.length} source files; ${options.count} shim mutants`)
  const shimIndices = Array.from({ length: options.count }, (_, i) => options.first + i)
  const shim = await fuzzShim(
    shimIndices,
    makeMutant,
    options.jobs,
    options.timeLimitMs,
    progress('shim', options.count),
    save,
  )
  log(`${options.httpCount} HTTP uploads`)
  const httpIndices = Array.from({ length: options.httpCount }, (_, i) => HTTP_FIRST_INDEX + i)
  const http = await fuzzHttp(
    httpIndices,
    makeMutant,
    options.timeLimitMs,
    progress('http', options.httpCount),
    save,
  )

  const findings = [...shim.findings, ...http.findings].sort(
    (a, b) => a.mutant.index - b.mutant.index,
  )
  const leftovers = [...shim.leftovers, ...http.leftovers]
  const ok = findings.length === 0 && leftovers.length === 0
  return { shim, http, findings, leftovers, elapsedMs: Date.now() - started, ok }
}

export function formatFuzzResult(result: FuzzResult, options: FuzzOptions): string {
  const tally = <K extends string>(keys: readonly K[], counts: Record<K, number>) =>
    keys.map((key) => `${key} ${counts[key]}`).join(', ')
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
  const { shim, http } = result
  const last = options.first + options.count - 1
  const range = options.count ? ` (${options.first}…${last})` : ''
  const lines = [
    `shim, ${options.count} mutants${range} in ${seconds(shim.elapsedMs)}: ${tally(SHIM_OUTCOMES, shim.tally)}`,
    `http, ${options.httpCount} uploads in ${seconds(http.elapsedMs)}: ${tally(HTTP_OUTCOMES, http.tally)}`,
    `elapsed ${seconds(result.elapsedMs)} (seed ${options.seed})`,
  ]
  for (const { mutant, outcome, detail } of result.findings) {
    lines.push(`FINDING mutant ${mutant.index} (${outcome}): ${mutant.recipe}`)
    lines.push(
      ...detail
        .split('\n')
        .slice(0, 6)
        .map((line) => `    ${line}`),
    )
  }
  for (const leftover of result.leftovers) lines.push(`LEFT BEHIND ${leftover}`)
  if (result.findings.length && options.findingsDir) {
    lines.push(`reproducers written to ${options.findingsDir}`)
  }
  lines.push(result.ok ? 'OK' : 'FAILED')
  return lines.join('\n')
}
