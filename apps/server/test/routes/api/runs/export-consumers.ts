/**
 * The real programs the export tests hand each export to: Python's own pstats (the interpreter
 * the server runs) and valgrind's callgrind_annotate. A missing tool fails the test and says
 * how to install it.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PYTHON } from '@profhub/fixtures'
import type { FastifyInstance } from 'fastify'
import { expect, onTestFinished } from 'vitest'

function run(
  command: string,
  args: string[],
  options: { cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { ...options, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error)
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr })
      },
    )
  })
}

/** A temp directory removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'profhub-export-test-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** GET an export: its body as bytes, after checking the status. */
export async function getExport(app: FastifyInstance, id: string, format: string) {
  const response = await app.inject(`/api/runs/${id}/export/${format}`)
  expect(response.statusCode, response.body.slice(0, 500)).toBe(200)
  return response
}

/** An export written to a file of its own, for a program to read. */
export async function saveExport(
  app: FastifyInstance,
  id: string,
  format: string,
  dir: string,
): Promise<string> {
  const file = path.join(dir, `${id}.${format}`)
  await writeFile(file, (await getExport(app, id, format)).rawPayload)
  return file
}

export type PstatsRow = [
  file: string,
  line: number,
  name: string,
  ncalls: number,
  primitiveCalls: number,
  tottime: number,
  cumtime: number,
]

export type PstatsReading =
  | {
      totalTime: number
      totalCalls: number
      primitiveCalls: number
      functionCount: number
      /** Every entry, in the file's order. */
      rows: PstatsRow[]
      /** `sort_stats('cumulative').print_stats()` of the file. */
      report: string
    }
  | { refused: string }

// pstats.Stats(path): the marshal file as any pstats user loads it. JSON keeps the floats exact.
const READ_WITH_PSTATS = `
import io, json, pstats, sys
out = io.StringIO()
stats = pstats.Stats(*sys.argv[1:], stream=out)
read = {
    "totalTime": stats.total_tt, "totalCalls": stats.total_calls,
    "primitiveCalls": stats.prim_calls, "functionCount": len(stats.stats),
    "rows": [[k[0], k[1], k[2], v[1], v[0], v[2], v[3]] for k, v in stats.stats.items()],
}
stats.sort_stats("cumulative").print_stats()
print(json.dumps(dict(read, report=out.getvalue())))
`

/** What Python's pstats makes of `files` (several: `Stats(a).add(b, …)`, as pstats merges). */
export async function readWithPstats(...files: string[]): Promise<PstatsReading> {
  const wrapped = `try:\n${READ_WITH_PSTATS.replace(/^/gm, '    ')}\nexcept TypeError as e:\n    import json\n    print(json.dumps({"refused": str(e)}))`
  const { code, stdout, stderr } = await run(PYTHON, ['-I', '-c', wrapped, ...files])
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
  return JSON.parse(stdout) as PstatsReading
}

/** The exported stats dict equals what pstats reads from `reference` files (merged). */
export async function pstatsDictsEqual(exported: string, ...reference: string[]) {
  const script = `
import pstats, sys
a = pstats.Stats(sys.argv[1]).stats
b = pstats.Stats(*sys.argv[2:]).stats
print(a == b and list(a) == list(b))`
  const { code, stdout, stderr } = await run(PYTHON, ['-I', '-c', script, exported, ...reference])
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
  return stdout.trim() === 'True'
}

const CALLGRIND_ANNOTATE = '/usr/bin/callgrind_annotate'

/**
 * callgrind_annotate's per-function costs (`file:function` → cost) and PROGRAM TOTALS; with
 * `inclusive`, a called function's cost is what its callers' call lines add up to.
 */
export async function annotateCallgrind(file: string, inclusive: boolean) {
  if (!existsSync(CALLGRIND_ANNOTATE)) {
    throw new Error(
      `${CALLGRIND_ANNOTATE} is missing: the callgrind export is checked with valgrind's ` +
        'callgrind_annotate. Install it with: sudo apt-get install -y valgrind',
    )
  }
  const { code, stdout, stderr } = await run(
    CALLGRIND_ANNOTATE,
    ['--threshold=100', `--inclusive=${inclusive ? 'yes' : 'no'}`, '--auto=no', file],
    // It strips the working directory from file names: one no function lives in.
    { cwd: path.dirname(file) },
  )
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
  const costs = new Map<string, number>()
  let total: number | null = null
  for (const line of stdout.split('\n')) {
    // A zero total prints as a dot (a profile of nothing).
    if (/^\s*\.\s+PROGRAM TOTALS/.test(line)) total = 0
    const match = /^\s*([\d,]+) \(\s*[\d.]+%\) {2}(.*)$/.exec(line)
    if (!match) continue
    const cost = Number(match[1]!.replaceAll(',', ''))
    if (match[2] === 'PROGRAM TOTALS') total = cost
    else costs.set(match[2]!, cost)
  }
  return { costs, total }
}
