import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { findProfileDocumentProblem } from '../../apps/server/src/converter/check-profile-document.ts'
import { type Finding, findProcesses, mapPool, PYTHON, SHIM_PATH } from './common.ts'
import type { Mutant } from './mutate.ts'

/** The shim's exit codes (pstats_to_json.py), plus what a caller sees when it does not exit. */
export const SHIM_OUTCOMES = ['converted', 'rejected', 'tooLarge', 'bug', 'hang'] as const
export type ShimOutcome = (typeof SHIM_OUTCOMES)[number]

export interface ShimFuzzResult {
  tally: Record<ShimOutcome, number>
  elapsedMs: number
  findings: Finding[]
  /** Files or processes still there after the run (each a line of explanation). */
  leftovers: string[]
}

interface RunResult {
  outcome: ShimOutcome
  detail: string
}

/**
 * Runs every mutant through the shim as the server runs it (`python3 -I shim --output tmp
 * input`, SIGKILL at the time limit), `jobs` at once. A converted output
 * must be a document the server would store (its own check); a failed run must leave no output.
 */
export async function fuzzShim(
  indices: readonly number[],
  makeMutant: (index: number) => Mutant,
  jobs: number,
  timeLimitMs: number,
  onProgress?: (done: number, tally: Record<ShimOutcome, number>) => void,
  /** Called at once for each finding (a long run stopped later still keeps it). */
  onFinding?: (finding: Finding) => Promise<void>,
): Promise<ShimFuzzResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'profhub-fuzz-shim-'))
  const started = Date.now()
  const tally = Object.fromEntries(SHIM_OUTCOMES.map((key) => [key, 0])) as Record<
    ShimOutcome,
    number
  >
  const findings: Finding[] = []
  const leftovers: string[] = []
  let done = 0
  try {
    await mapPool(indices, jobs, async (index) => {
      const mutant = makeMutant(index)
      const result = await runOne(dir, mutant, timeLimitMs)
      tally[result.outcome]++
      if (result.outcome === 'bug' || result.outcome === 'hang') {
        const finding = { mutant, outcome: `shim ${result.outcome}`, detail: result.detail }
        findings.push(finding)
        await onFinding?.(finding)
      }
      onProgress?.(++done, tally)
    })
    const left = await readdir(dir)
    if (left.length) leftovers.push(`shim: files left in the temp dir: ${left.join(', ')}`)
    for (const p of findProcesses((cmdline) => cmdline.includes(dir))) {
      leftovers.push(`shim: process left: ${p}`)
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  return { tally, elapsedMs: Date.now() - started, findings, leftovers }
}

async function runOne(dir: string, mutant: Mutant, timeLimitMs: number): Promise<RunResult> {
  const input = path.join(dir, `${mutant.index}.prof`)
  const output = path.join(dir, `${mutant.index}.json`)
  await writeFile(input, mutant.data)
  try {
    const { code, signal, killed, stderr } = await runShim(input, output, timeLimitMs)
    const tail = stderr.slice(-2000)
    if (killed) {
      return { outcome: 'hang', detail: `killed after ${timeLimitMs} ms\n${tail}` }
    }
    if (code !== 0 && existsSync(output)) {
      return { outcome: 'bug', detail: `exit ${code} but it left its output file\n${tail}` }
    }
    if (code === 0) return checkOutput(output)
    if (code === 2) return { outcome: 'rejected', detail: '' }
    if (code === 3) return { outcome: 'tooLarge', detail: '' }
    return { outcome: 'bug', detail: `exit ${code ?? signal}\n${tail}` }
  } finally {
    await rm(input, { force: true })
    await rm(output, { force: true })
  }
}

async function checkOutput(output: string): Promise<RunResult> {
  let text: string
  try {
    text = await readFile(output, 'utf8')
  } catch (error) {
    return { outcome: 'bug', detail: `exit 0 but no output file: ${String(error)}` }
  }
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (error) {
    return { outcome: 'bug', detail: `exit 0 but the output is not JSON: ${String(error)}` }
  }
  const problem = findProfileDocumentProblem(doc)
  if (problem) return { outcome: 'bug', detail: `exit 0 but the document is invalid: ${problem}` }
  return { outcome: 'converted', detail: '' }
}

function runShim(
  input: string,
  output: string,
  timeLimitMs: number,
): Promise<{ code: number | null; signal: string | null; killed: boolean; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      PYTHON,
      ['-I', SHIM_PATH, '--output', output, input],
      { timeout: timeLimitMs, killSignal: 'SIGKILL', encoding: 'utf8', maxBuffer: 1 << 20 },
      // `killed`: we sent the SIGKILL (time limit); any other signal is the shim's own death.
      (_error, _stdout, stderr) =>
        resolve({ code: child.exitCode, signal: child.signalCode, killed: child.killed, stderr }),
    )
  })
}
