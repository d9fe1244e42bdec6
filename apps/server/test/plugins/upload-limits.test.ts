/**
 * Uploads over the shim's limits (shim/limits.py, MAX_FUNCTIONS, MAX_EDGES, CONVERT_TIMEOUT_S):
 * each is a 413 with the shim's own words, nothing is stored, and the server goes on serving.
 */
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { craftedProfile, fixturePath } from '@profhub/fixtures'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { build, listDataFiles, upload } from '../helper.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'profhub-upload-limits-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

function tooLarge(message: string | RegExp) {
  return {
    error: 'Payload Too Large',
    message: typeof message === 'string' ? message : expect.stringMatching(message),
  }
}

describe('uploads over a limit', () => {
  it('refuses a callers table shared by back reference, then still converts a real profile', async () => {
    const { app, dataDir } = await build()
    const bomb = craftedProfile('shared', 2000, path.join(dir, 'bomb.prof'))

    const response = await upload(app, bomb)
    expect(response.statusCode).toBe(413)
    expect(response.json()).toEqual(
      tooLarge(
        /^The profile reuses callers tables by marshal back reference, which no profiler does: its [\d,]+ bytes would expand to more than [\d,]+ functions and call edges\.$/,
      ),
    )
    expect(await listDataFiles(dataDir)).toEqual([])
    expect((await upload(app, fixturePath('recursion-py3.11.prof'))).statusCode).toBe(201)
  })

  it('applies MAX_FUNCTIONS and MAX_EDGES', async () => {
    const { app } = await build({ MAX_FUNCTIONS: '1000', MAX_EDGES: '5000' })
    const functions = craftedProfile('functions', 1001, path.join(dir, 'f1001.prof'))
    const edges = craftedProfile('edges', 5001, path.join(dir, 'e5001.prof'))

    const refused = await upload(app, functions)
    expect(refused.statusCode).toBe(413)
    expect(refused.json()).toEqual(
      tooLarge("The profile has more than 1,000 functions, the server's limit (MAX_FUNCTIONS)."),
    )
    expect((await upload(app, edges)).json()).toEqual(
      tooLarge(
        "The profile has more than 5,000 call edges (caller-callee pairs), the server's limit (MAX_EDGES).",
      ),
    )
    // the 20k-function fixture is over 1,000 too; the 1,000-function file is not
    expect(
      (await upload(app, craftedProfile('functions', 1000, path.join(dir, 'f1000.prof'))))
        .statusCode,
    ).toBe(201)
  })

  it('names the file of a merge that is over a limit', async () => {
    const { app } = await build()
    const longName = craftedProfile('name', 10_001, path.join(dir, 'long-name.prof'))
    const form = new FormData()
    form.append('mode', 'merge')
    form.append('file', new Blob([readFileSync(fixturePath('recursion-py3.11.prof'))]), 'a.prof')
    form.append('file', new Blob([readFileSync(longName)]), 'b.prof')

    const response = await app.inject({ method: 'POST', url: '/api/runs', payload: form })
    expect(response.statusCode).toBe(413)
    expect(response.json()).toEqual(
      tooLarge(
        '“b.prof”: A function name in the profile is 10,001 characters long; the limit is 10,000.',
      ),
    )
  })

  it('answers 413 when the shim runs out of memory', async () => {
    vi.stubEnv('PROFHUB_SHIM_MEMORY_MB', '30')
    try {
      const { app } = await build()
      const response = await upload(app, fixturePath('large-20k.prof'))
      expect(response.statusCode).toBe(413)
      expect(response.json()).toEqual(
        tooLarge("The profile is too large to convert within the shim's memory limit."),
      )
    } finally {
      vi.unstubAllEnvs()
    }
  })

  it('answers 413 when the conversion takes longer than CONVERT_TIMEOUT_S', async () => {
    const { app, dataDir } = await build({ CONVERT_TIMEOUT_S: '0.001' })
    const response = await upload(app, fixturePath('recursion-py3.11.prof'))
    expect(response.statusCode).toBe(413)
    expect(response.json()).toEqual(
      tooLarge(
        "The profile could not be converted within the server's time limit (0.001 s, CONVERT_TIMEOUT_S).",
      ),
    )
    expect(await listDataFiles(dataDir)).toEqual([])
  })
})
