/**
 * The shim's limits (apps/server/shim/limits.py), each on a crafted file just past it and one
 * at it, through the fast reader (marshal version 4) and the strict path (version 0: floats as
 * text, which the fast reader leaves to it). Over a limit: exit 3 and one line that says which.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/plugins/app/config.ts'
import { craftedProfile, type CraftedKind, PYTHON, SHIM, fixturePath } from '@profhub/fixtures'

const dir = mkdtempSync(join(tmpdir(), 'profhub-limits-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Outcome {
  code: number | null
  stderr: string
}

function shim(inputs: string[], env: Record<string, string> = {}): Promise<Outcome> {
  const output = join(dir, `${Math.random().toString(36).slice(2)}.json`)
  const args = inputs.length > 1 ? ['--merge', ...inputs] : inputs
  return new Promise((resolve, reject) => {
    execFile(
      PYTHON,
      ['-I', SHIM, '--output', output, ...args],
      { env: { ...process.env, ...env }, timeout: 110_000 },
      (error, _stdout, stderr) => {
        rmSync(output, { force: true })
        if (error && typeof error.code !== 'number') return reject(error)
        resolve({ code: error ? Number(error.code) : 0, stderr })
      },
    )
  })
}

function crafted(kind: CraftedKind, n: number, version: number): string {
  return craftedProfile(kind, n, join(dir, `${kind}-${n}-v${version}.prof`), version)
}

const small = { PROFHUB_MAX_FUNCTIONS: '1000', PROFHUB_MAX_EDGES: '1000' }

describe.each([
  ['fast reader', 4],
  ['strict path', 0],
])('limits, %s', (_, version) => {
  it.each<[CraftedKind, number, Record<string, string>, RegExp]>([
    [
      'functions',
      1000,
      small,
      /^The profile has more than 1,000 functions, the server's limit \(MAX_FUNCTIONS\)\.$/,
    ],
    [
      'edges',
      1000,
      small,
      /^The profile has more than 1,000 call edges \(caller-callee pairs\), the server's limit \(MAX_EDGES\)\.$/,
    ],
    [
      'name',
      10_000,
      {},
      /^A function name in the profile is 10,001 characters long; the limit is 10,000\.$/,
    ],
    [
      'path',
      10_000,
      {},
      /^A file path in the profile is 10,001 characters long; the limit is 10,000\.$/,
    ],
  ])('%s: %i converts, one more is refused', async (kind, limit, env, message) => {
    expect(await shim([crafted(kind, limit, version)], env)).toEqual({ code: 0, stderr: '' })
    const over = await shim([crafted(kind, limit + 1, version)], env)
    expect(over.code).toBe(3)
    expect(over.stderr.trim()).toMatch(message)
  })

  it('refuses names and paths of more than 64 million characters together', async () => {
    const over = await shim([crafted('text', 64_000_001, version)])
    expect(over.code).toBe(3)
    expect(over.stderr.trim()).toMatch(
      /^The profile's function names and file paths are 64,0\d\d,\d{3} characters together; the limit is 64,000,000\.$/,
    )
  })
})

describe('what a back-referenced object may expand to', () => {
  it('refuses one callers table shared by 2,000 functions (4 million edges from 119 KB)', async () => {
    const bomb = crafted('shared', 2000, 4)
    const size = statSync(bomb).size
    const outcome = await shim([bomb])
    expect(outcome.code).toBe(3)
    expect(outcome.stderr.trim()).toBe(
      'The profile reuses callers tables by marshal back reference, which no profiler does: ' +
        `its ${size.toLocaleString('en-US')} bytes would expand to more than ` +
        `${Math.floor(size / 10).toLocaleString('en-US')} functions and call edges.`,
    )
  })

  it('converts a shared table that stays within what the file can hold', async () => {
    // 3 functions + 3 x 3 edges = 12 entries from 204 bytes: a bound on bytes, not a ban
    expect(await shim([crafted('shared', 3, 4)])).toEqual({ code: 0, stderr: '' })
    // 5 + 25 = 30 entries would need 300 of its 318 bytes; 6 + 36 need 420 of 375
    expect(await shim([crafted('shared', 6, 4)])).toMatchObject({ code: 3 })
  })
})

describe('the last resort: memory and CPU time', () => {
  it('answers exit 3 when the memory limit is reached', async () => {
    const outcome = await shim([fixturePath('large-20k.prof')], { PROFHUB_SHIM_MEMORY_MB: '30' })
    expect(outcome).toEqual({
      code: 3,
      stderr: "The profile is too large to convert within the shim's memory limit.\n",
    })
  })

  it('answers exit 3 when the CPU time limit is reached', async () => {
    // 300,000 functions take several seconds of CPU; the limit is 1 s
    const outcome = await shim([crafted('functions', 300_000, 4)], {
      PROFHUB_SHIM_CPU_SECONDS: '1',
    })
    expect(outcome).toEqual({
      code: 3,
      stderr: "The profile is too large to convert within the shim's CPU time limit.\n",
    })
  })

  it('has the defaults the server documents (MAX_FUNCTIONS, MAX_EDGES)', async () => {
    const env = { ...process.env }
    delete env.PROFHUB_MAX_FUNCTIONS
    delete env.PROFHUB_MAX_EDGES
    const printed = await new Promise<string>((resolve, reject) =>
      execFile(
        PYTHON,
        [
          '-I',
          '-c',
          'import sys; sys.path.insert(0, sys.argv[1]); import limits; ' +
            'l = limits.Limits(); print(l.functions, l.edges, limits.MAX_TEXT_CHARS)',
          dirname(SHIM),
        ],
        { env },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      ),
    )
    const config = parseConfig({})
    expect(printed.trim()).toBe(`${config.maxFunctions} ${config.maxEdges} 10000`)
  })
})

describe('limits in a merge', () => {
  it('names the input that is over a limit', async () => {
    const outcome = await shim(
      [fixturePath('recursion-py3.11.prof'), crafted('name', 10_001, 4)],
      {},
    )
    expect(outcome.code).toBe(3)
    expect(outcome.stderr.trim()).toBe(
      'file 2 of 2: A function name in the profile is 10,001 characters long; the limit is 10,000.',
    )
  })

  it('checks the merged whole too', async () => {
    // two files of 600 different functions each: under the limit alone, 1,200 together
    const outcome = await shim(
      [crafted('functions', 600, 4), crafted('text', 600 * 9000, 4)],
      small,
    )
    expect(outcome.code).toBe(3)
    expect(outcome.stderr.trim()).toMatch(
      /^Merged, the files are over a limit: The profile has more than 1,000 functions/,
    )
  })
})
