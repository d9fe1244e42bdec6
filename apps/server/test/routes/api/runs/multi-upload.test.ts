import { readFileSync } from 'node:fs'
import { fixturePath, readSummary } from '@profhub/fixtures'
import { describe, expect, it } from 'vitest'
import { build, listDataFiles, uploadMany, uploadRun } from '../../../helper.ts'

const RULES = ['rules_cache1000.prof', 'rules_cache5000.prof', 'rules-py3.11.prof']
const MIXED = ['jsondoc-py3.11.prof', 'tokenizer-py3.11.prof', 'shapes-py3.11.prof']

/** What pstats reports for a fixture; the merge adds in pstats' own order, so all of it exact. */
function exactSummary(fixture: string) {
  const { totalTime, totalCalls, primitiveCalls, functionCount } = readSummary(fixture)
  return { totalTime, totalCalls, primitiveCalls, functionCount }
}

function sizeOf(fixture: string): number {
  return readFileSync(fixturePath(fixture)).length
}

describe('POST /api/runs with mode=merge', () => {
  it.each([
    [RULES, 'merged-rules-py3.11.prof'],
    [MIXED, 'merged-jsondoc-tokenizer-shapes-py3.11.prof'],
  ])('merges %j as pstats.Stats(a).add(b, c) does', async (fixtures, merged) => {
    const { app } = await build()
    const response = await uploadMany(app, fixtures, { mode: 'merge' })

    expect(response.statusCode).toBe(201)
    const run = response.json()
    expect(run).toMatchObject({
      name: `${fixtures[0]} + 2 more`,
      url: `/runs/${run.id}`,
      sourceFormat: 'merged',
      summary: exactSummary(merged),
      note: '',
      source: {
        fileName: fixtures[0],
        fileSize: sizeOf(fixtures[0]!),
        pythonVersion: '3.11',
        files: fixtures.map((fileName) => ({ fileName, fileSize: sizeOf(fileName) })),
      },
    })
    // Every row and edge as converting the file pstats itself merged and dumped.
    const reference = await uploadRun(app, merged)
    const profile = (id: string) => app.inject(`/api/runs/${id}/profile`)
    const ours = (await profile(run.id)).json()
    expect(ours).toEqual({ ...(await profile(reference.id)).json(), sourceFormat: 'merged' })
  })

  it('keeps every uploaded file: /file is the first, /files/<i> each', async () => {
    const { app } = await build()
    const { id } = (await uploadMany(app, RULES, { mode: 'merge' })).json()

    const first = await app.inject(`/api/runs/${id}/file`)
    expect(first.rawPayload).toEqual(readFileSync(fixturePath(RULES[0]!)))
    for (const [index, fixture] of RULES.entries()) {
      const response = await app.inject(`/api/runs/${id}/files/${index}`)
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-disposition']).toBe(`attachment; filename="${fixture}"`)
      expect(response.rawPayload).toEqual(readFileSync(fixturePath(fixture)))
    }
    for (const index of ['3', '-1', '01', 'x', '1.0']) {
      const response = await app.inject(`/api/runs/${id}/files/${index}`)
      expect(response.statusCode, index).toBe(404)
    }
    expect((await app.inject(`/api/runs/${id}/files/3`)).json().message).toMatch(/3 uploaded files/)
    expect((await app.inject('/api/runs/AAAAAAAAAAAAAAAAAAAAAA/files/0')).statusCode).toBe(404)
  })

  it('takes a name, and treats a single file like a plain upload', async () => {
    const { app } = await build()
    const named = await uploadMany(app, MIXED, { mode: 'merge', name: '  all three ' })
    const single = await uploadMany(app, ['recursion-py3.11.prof'], { mode: 'merge' })

    expect(named.json().name).toBe('all three')
    expect(single.statusCode).toBe(201)
    expect(single.json()).toMatchObject({
      name: 'recursion-py3.11.prof',
      sourceFormat: 'cProfile',
      source: { files: [{ fileName: 'recursion-py3.11.prof' }] },
    })
  })

  it('names the bad file and stores nothing', async () => {
    const { app, dataDir } = await build()
    const response = await uploadMany(app, ['recursion-py3.11.prof', 'bad_truncated.prof'], {
      mode: 'merge',
    })

    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({
      error: 'Not A Profile',
      message: expect.stringMatching(/^“bad_truncated\.prof”: The file ends .* Upload a \.prof/),
    })
    expect(await listDataFiles(dataDir)).toEqual([])
    expect((await app.inject('/api/runs')).json().runs).toEqual([])
  })

  it('refuses what pstats cannot add: profile-module counts meeting cProfile timings', async () => {
    const { app, dataDir } = await build()
    const response = await uploadMany(
      app,
      ['recursion-py3.11.prof', 'recursion-profile-py3.11.prof'],
      { mode: 'merge' },
    )

    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({
      error: 'Cannot Merge',
      message: expect.stringMatching(/^“recursion-profile-py3\.11\.prof” cannot be merged/),
    })
    expect(await listDataFiles(dataDir)).toEqual([])
  })

  it('refuses a sampled profile in a merge', async () => {
    const { app } = await build()
    const response = await uploadMany(app, ['recursion-py3.11.prof', 'sampled-py3.15.prof'], {
      mode: 'merge',
    })

    expect(response.statusCode).toBe(400)
    expect(response.json().message).toMatch(/^“sampled-py3\.15\.prof” cannot be merged: .*sampled/)
  })
})

describe('POST /api/runs with several files, mode=separate (the default)', () => {
  it('makes one run per file, in upload order', async () => {
    const { app } = await build()
    const fixtures = ['recursion-py3.11.prof', 'shapes-py3.11.prof', 'jsondoc-py2.7.prof']
    const response = await uploadMany(app, fixtures)

    expect(response.statusCode).toBe(201)
    const { runs } = response.json()
    expect(runs).toHaveLength(3)
    expect(runs.map((run: { name: string }) => run.name)).toEqual(fixtures)
    for (const [index, run] of runs.entries()) {
      expect(run).toMatchObject({
        url: `/runs/${run.id}`,
        summary: { functionCount: readSummary(fixtures[index]!).functionCount },
        source: { files: [{ fileName: fixtures[index], fileSize: sizeOf(fixtures[index]!) }] },
      })
    }
    const listed = (await app.inject('/api/runs')).json().runs.map((run: { id: string }) => run.id)
    expect(listed).toEqual(runs.map((run: { id: string }) => run.id).toReversed())

    const explicit = await uploadMany(app, fixtures.slice(0, 2), { mode: 'separate' })
    expect(explicit.json().runs).toHaveLength(2)
  })

  it('answers a single file exactly as before: the run, not a list', async () => {
    const { app } = await build()
    const response = await uploadMany(app, ['recursion-py3.11.prof'], { mode: 'separate' })

    expect(response.statusCode).toBe(201)
    expect(response.json()).toMatchObject({ name: 'recursion-py3.11.prof' })
    expect(response.json()).not.toHaveProperty('runs')
  })

  it('names the first bad file and stores none of them', async () => {
    const { app, dataDir } = await build()
    const response = await uploadMany(app, [
      'recursion-py3.11.prof',
      'bad_empty.prof',
      'shapes-py3.11.prof',
      'bad_json.prof',
    ])

    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({
      error: 'Not A Profile',
      message: expect.stringMatching(/^“bad_empty\.prof”: The file is empty\. Upload/),
    })
    expect(await listDataFiles(dataDir)).toEqual([])
    expect((await app.inject('/api/runs')).json().runs).toEqual([])
  })

  it('refuses a name, which would be the same for every run', async () => {
    const { app } = await build()
    const response = await uploadMany(app, MIXED, { name: 'one name' })

    expect(response.statusCode).toBe(400)
    expect(response.json().message).toMatch(/mode=merge/)
  })
})

describe('POST /api/runs limits for several files', () => {
  it('applies MAX_UPLOAD_MB to the files together', async () => {
    // Each file is under the limit; the two together are not.
    const limit = (sizeOf('shapes-py3.11.prof') * 1.5) / 1024 / 1024
    const { app, dataDir } = await build({ MAX_UPLOAD_MB: String(limit) })
    expect((await uploadMany(app, ['shapes-py3.11.prof'])).statusCode).toBe(201)
    await app.runStore.settle() // the kept run's compressed copy
    const before = await listDataFiles(dataDir)

    for (const mode of ['separate', 'merge']) {
      const response = await uploadMany(app, ['shapes-py3.11.prof', 'shapes-py3.11.prof'], { mode })
      expect(response.statusCode).toBe(413)
      expect(response.json()).toEqual({
        error: 'Payload Too Large',
        message: `The files together are larger than the ${limit} MB limit (MAX_UPLOAD_MB).`,
      })
    }
    expect(await listDataFiles(dataDir)).toEqual(before)
  })

  it('takes at most 20 files', async () => {
    const { app, dataDir } = await build()
    const response = await uploadMany(app, Array(21).fill('empty-py3.11.prof'))

    expect(response.statusCode).toBe(400)
    expect(response.json().message).toMatch(/at most 20 files/)
    expect(await listDataFiles(dataDir)).toEqual([])
    const twenty = await uploadMany(app, Array(20).fill('empty-py3.11.prof'))
    expect(twenty.json().runs).toHaveLength(20)
  })

  it('refuses an unknown mode', async () => {
    const { app } = await build()
    const response = await uploadMany(app, MIXED, { mode: 'zip' })

    expect(response.statusCode).toBe(400)
    expect(response.json().message).toMatch(/"mode" must be "separate" .* or "merge"/)
  })
})
