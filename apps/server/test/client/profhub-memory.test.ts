import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { MemoryDocument } from '@profhub/api'
import { describe, expect, it } from 'vitest'
import {
  findPython,
  getJson,
  lastLine,
  pstatsSummary,
  runClient,
  runIdOf,
  startServer,
  tempDir,
} from './client-helper.ts'

// The seed's experiment: fixtures/programs/rules_memory.py runs rules.py with an lru_cache of
// 1000 or 5000 entries, and writes what tracemalloc reports at its last statement. tracemalloc
// slows Python 3.11+ tenfold and more, and a busy machine more again: a generous timeout.
const PROGRAMS = path.resolve(import.meta.dirname, '../../../../fixtures/programs')
const RULES = path.join(PROGRAMS, 'rules.py')
/**
 * profhub.py reads tracemalloc just after the program's last statement has returned: the peak
 * cannot move by then, the memory still held may by a few hundred bytes (the frames that end,
 * the profiler's record of the return).
 */
const FINAL_BYTES_SLACK = 4096

interface RunAnswer {
  hasMemory: boolean
  sourceFiles: string[]
  summary: { totalTime: number; totalCalls: number; functionCount: number }
  environment: Record<string, unknown>
}

interface Experiment {
  run: RunAnswer
  memory: MemoryDocument
  /** What tracemalloc told the program itself: [current, peak]. */
  reported: [number, number]
  /** `_rule_key_to_state`'s calls: the cache's misses. */
  misses: number
  prof: string
  stderr: string
}

async function runExperiment(python: string, server: string, cacheSize: number) {
  const dir = await tempDir()
  const report = path.join(dir, 'tracemalloc.txt')
  const prof = path.join(dir, `rules-${cacheSize}.prof`)
  const result = await runClient(
    python,
    ['run', '--no-open', '--memory', '-o', prof, 'rules_memory.py', String(cacheSize)],
    { cwd: PROGRAMS, env: { PROFHUB_URL: server, TRACEMALLOC_REPORT: report } },
  )
  expect(result.code, result.stderr).toBe(0)
  expect(result.stdout).toContain(`maxsize ${cacheSize} hits`)
  const id = runIdOf(server, lastLine(result.stdout))
  const [current, peak] = (await readFile(report, 'utf8')).trim().split(' ').map(Number)
  const stats = (await getJson(`${server}/api/runs/${id}/stats?filter=_rule_key_to_state`)) as {
    rows: { name: string; ncalls: number }[]
  }
  return {
    run: (await getJson(`${server}/api/runs/${id}`)) as RunAnswer,
    memory: (await getJson(`${server}/api/runs/${id}/memory`)) as MemoryDocument,
    reported: [current!, peak!],
    misses: stats.rows.find((row) => row.name === '_rule_key_to_state')!.ncalls,
    prof,
    stderr: result.stderr,
  } satisfies Experiment
}

/** The held bytes of the lines of one file, by the memory document. */
function bytesOf(memory: MemoryDocument, file: string): number {
  return memory.lines.filter((line) => line.file === file).reduce((sum, l) => sum + l.size, 0)
}

// The oldest and the newest Python the client promises to run on.
describe.each(['3.8', '3.13'])('profhub.py run --memory under Python %s', (version) => {
  it("uploads tracemalloc's numbers beside the profile: the bigger cache holds more", async () => {
    const python = findPython(version)
    const server = await startServer()

    const small = await runExperiment(python, server, 1000)
    const big = await runExperiment(python, server, 5000)

    for (const experiment of [small, big]) {
      const { run, memory, reported, stderr } = experiment
      expect(stderr).toBe('')
      expect(run.hasMemory).toBe(true)
      // Equal to what tracemalloc reported to the program itself.
      expect(memory.peakBytes).toBe(reported[1])
      expect(Math.abs(memory.finalBytes - reported[0])).toBeLessThanOrEqual(FINAL_BYTES_SLACK)
      expect(memory).toMatchObject({ formatVersion: 1, tool: 'tracemalloc' })
      expect(memory.overheadNote).toMatch(/tracemalloc's overhead/)
      expect(memory.tracebackLimit).toBeGreaterThanOrEqual(10)
      // The lines are the heaviest first and no more than what is held.
      const sizes = memory.lines.map((line) => line.size)
      expect(sizes).toEqual([...sizes].sort((a, b) => b - a))
      expect(sizes.reduce((sum, size) => sum + size, 0)).toBeLessThanOrEqual(memory.finalBytes)
      expect(memory.lines.length).toBeLessThanOrEqual(500)
      expect(memory.tracebacks.length).toBeLessThanOrEqual(100)
      // profhub's own frames, cProfile's and tracemalloc's are left out.
      const files = [
        ...memory.lines.map((line) => line.file),
        ...memory.tracebacks.flatMap((trace) => trace.frames.map((frame) => frame.file)),
      ]
      expect(
        files.filter((file) => /profhub\.py$|cProfile\.py$|tracemalloc\.py$/.test(file)),
      ).toEqual([])
      // Every traceback ends (oldest frame last) in the program's own module.
      for (const trace of memory.tracebacks) {
        expect(trace.frames.at(-1)?.file).toMatch(/rules_memory\.py$|^<frozen |rules\.py$/)
      }
      // The cached states are parsed JSON: held under rules.py's cached function, by traceback.
      const cached = memory.tracebacks.find((trace) =>
        trace.frames.some((frame) => frame.file === RULES && frame.line === 34),
      )
      expect(cached?.frames[0]?.file).toMatch(/json[/\\]decoder\.py$/)
      // The summary is what this Python's pstats reports for the same profile.
      const truth = await pstatsSummary(python, experiment.prof)
      expect(run.summary).toMatchObject({
        totalCalls: truth.totalCalls,
        functionCount: truth.functionCount,
      })
      expect(run.environment).toMatchObject({ memory: true, command: expect.any(Array) })
    }
    // 1000 entries thrash (3,000 keys, 4 passes); 5000 keep every key after its first miss.
    expect(small.misses).toBe(12000)
    expect(big.misses).toBe(3000)
    expect(big.memory.finalBytes).toBeGreaterThan(2 * small.memory.finalBytes)
    expect(big.memory.peakBytes).toBeGreaterThan(small.memory.peakBytes)
    expect(small.run.environment.command).toEqual(['rules_memory.py', '1000'])
    expect(big.run.environment.command).toEqual(['rules_memory.py', '5000'])
    // The JSON the cache holds is parsed by json's decoder: its lines hold the difference.
    const decoder = (memory: MemoryDocument) =>
      memory.lines.filter((line) => /json[/\\]decoder\.py$/.test(line.file))
    expect(bytesOf(big.memory, decoder(big.memory)[0]!.file)).toBeGreaterThan(
      2 * bytesOf(small.memory, decoder(small.memory)[0]!.file),
    )
  }, 600_000)
})

describe('profhub.py run without --memory', () => {
  it('sends no memory document, and the environment says tracemalloc did not run', async () => {
    const python = findPython('3.8')
    const server = await startServer()
    const report = path.join(await tempDir(), 'tracemalloc.txt')
    const result = await runClient(python, ['run', '--no-open', 'rules_memory.py', '1000'], {
      cwd: PROGRAMS,
      env: { PROFHUB_URL: server, TRACEMALLOC_REPORT: report },
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const id = runIdOf(server, lastLine(result.stdout))
    const run = (await getJson(`${server}/api/runs/${id}`)) as RunAnswer
    expect(run.hasMemory).toBe(false)
    expect(run.environment).toMatchObject({ memory: false })
    const memory = await fetch(`${server}/api/runs/${id}/memory`)
    expect(memory.status).toBe(404)
    expect(((await memory.json()) as { message: string }).message).toContain('--memory')
    // The program saw no tracing at all (it writes its report only while tracemalloc traces).
    expect(existsSync(report)).toBe(false)
  })
})
