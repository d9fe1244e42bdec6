/**
 * The shim's `--merge`: pstats.Stats(a).add(b, …) without pstats. The route tests compare whole
 * merges with files pstats itself merged; these cover what no pstats fixture shows.
 */
import { execFile } from 'node:child_process'
import { fixturePath, PYTHON, runShim, SHIM } from '@profhub/fixtures'
import { readProfileDocument, type ProfileDocument } from '@profhub/profile'
import { describe, expect, it } from 'vitest'

function merge(...fixtures: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      PYTHON,
      ['-I', SHIM, '--merge', ...fixtures.map((name) => fixturePath(name))],
      { maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    )
  })
}

async function single(fixture: string): Promise<ProfileDocument> {
  return readProfileDocument(JSON.parse((await runShim(fixturePath(fixture))).stdout))
}

async function merged(...fixtures: string[]): Promise<ProfileDocument> {
  const { code, stdout, stderr } = await merge(...fixtures)
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
  return readProfileDocument(JSON.parse(stdout))
}

describe('pstats_to_json.py --merge', () => {
  it('adds a profile to itself: every count doubled, the same functions and edges', async () => {
    const one = await single('recursion-profile-py3.11.prof')
    const two = await merged('recursion-profile-py3.11.prof', 'recursion-profile-py3.11.prof')

    expect(two.sourceFormat).toBe('merged')
    expect(two.summary).toMatchObject({
      totalCalls: 2 * one.summary.totalCalls,
      primitiveCalls: 2 * one.summary.primitiveCalls,
      functionCount: one.summary.functionCount,
    })
    expect(two.functions.map((f) => f.ncalls)).toEqual(one.functions.map((f) => 2 * f.ncalls))
    // The profile module's bare caller counts are added too.
    expect(two.edges.map((e) => [e.caller, e.callee, e.ncalls, e.tottime])).toEqual(
      one.edges.map((e) => [e.caller, e.callee, 2 * e.ncalls, e.tottime]),
    )
  })

  it('keeps Python 2.7 names that are not UTF-8 apart, and merges 2.7 with 3.x by name', async () => {
    const one = await single('hostile_names-py2.7.prof')
    const two = await merged('hostile_names-py2.7.prof', 'hostile_names-py2.7.prof')
    expect(two.summary.functionCount).toBe(one.summary.functionCount)
    expect(two.summary.totalCalls).toBe(2 * one.summary.totalCalls)

    const old = await single('recursion-py2.7.prof')
    const current = await single('recursion-py3.11.prof')
    const both = await merged('recursion-py2.7.prof', 'recursion-py3.11.prof')
    const key = (f: { file: string; line: number; name: string }) => `${f.file}:${f.line}:${f.name}`
    const shared = old.functions.filter((f) => current.functions.some((g) => key(g) === key(f)))
    expect(shared.length).toBeGreaterThan(0)
    expect(both.summary.functionCount).toBe(
      old.summary.functionCount + current.summary.functionCount - shared.length,
    )
    expect(both.summary.totalCalls).toBe(old.summary.totalCalls + current.summary.totalCalls)
  })

  it('names the bad input by its position', async () => {
    const { code, stderr } = await merge(
      'recursion-py3.11.prof',
      'shapes-py3.11.prof',
      'bad_png.prof',
    )

    expect(code).toBe(2)
    expect(stderr).toBe('file 3 of 3: This looks like a PNG image, not a pstats profile.\n')
  })

  it('needs two inputs', async () => {
    expect((await merge('recursion-py3.11.prof')).code).toBe(1)
  })
})
