import { describe, expect, it } from 'vitest'
import { fixturePath, listBadFiles } from '@profhub/fixtures'
import { build, expectedSummary, listDataFiles, upload, uploadRun } from '../../../helper.ts'

describe('POST /api/runs', () => {
  it.each([
    ['recursion-py3.11.prof', 'cProfile'],
    ['recursion-py2.7.prof', 'cProfile'],
    ['recursion-profile-py3.11.prof', 'profile'],
    ['jsondoc-yappi.prof', 'yappi'],
    ['merged-rules-py3.11.prof', 'merged'],
    ['hostile_names.prof', 'cProfile'],
  ])('stores %s and answers with what pstats reports', async (fixture, sourceFormat) => {
    const { app } = await build()
    const response = await upload(app, fixturePath(fixture))

    expect(response.statusCode).toBe(201)
    const run = response.json()
    expect(run).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      name: fixture,
      url: `/runs/${run.id}`,
      createdAt: expect.any(String),
      sourceFormat,
      summary: expectedSummary(fixture),
      source: {
        fileName: fixture,
        fileSize: expect.any(Number),
        pythonVersion: expect.anything(),
        files: [{ fileName: fixture, fileSize: expect.any(Number) }],
      },
      note: '',
      labels: {},
      environment: {
        formatVersion: 1,
        python: { version: run.source.pythonVersion },
        profiler: { name: sourceFormat },
        guessed: true,
      },
      hasMemory: false,
      sourceFiles: [],
    })
    expect(run.source.files[0].fileSize).toBe(run.source.fileSize)
    expect(new Date(run.createdAt).toISOString()).toBe(run.createdAt)
    expect((await app.inject(`/api/runs/${run.id}`)).json()).toEqual({
      id: run.id,
      name: run.name,
      createdAt: run.createdAt,
      sourceFormat: run.sourceFormat,
      summary: run.summary,
      source: run.source,
      note: '',
      labels: {},
      environment: run.environment,
      hasMemory: false,
      sourceFiles: [],
    })
  })

  it('takes the name field before or after the file', async () => {
    const { app } = await build()
    const file = fixturePath('shapes-py3.11.prof')
    const before = await upload(app, file, { name: '  nightly build  ', nameFirst: true })
    const after = await upload(app, file, { name: 'after the file' })
    const blank = await upload(app, file, { name: '   ' })

    expect(before.json().name).toBe('nightly build')
    expect(after.json().name).toBe('after the file')
    expect(blank.json().name).toBe('shapes-py3.11.prof')
  })

  it('refuses a name longer than 200 characters', async () => {
    const { app } = await build()
    const response = await upload(app, fixturePath('shapes-py3.11.prof'), { name: 'n'.repeat(201) })

    expect(response.statusCode).toBe(400)
    expect(response.json().message).toMatch(/200 characters/)
  })

  it('rejects every bad_* file with a 400 that says why, leaving nothing behind', async () => {
    const { app, dataDir } = await build()
    const kept = await uploadRun(app, 'recursion-py3.11.prof')
    await app.runStore.settle() // the kept run's compressed copy
    const filesBefore = await listDataFiles(dataDir)
    const keptFile = (await app.inject(`/api/runs/${kept.id}/file`)).rawPayload

    const bad = listBadFiles()
    expect(bad.length).toBeGreaterThanOrEqual(10)
    for (const name of bad) {
      const response = await upload(app, fixturePath(name))
      expect(response.statusCode, name).toBe(400)
      const body = response.json()
      expect(body.error, name).toBe('Not A Profile')
      expect(body.message, name).toMatch(/\w{3,}.* Upload a \.prof file/)
    }

    expect(await listDataFiles(dataDir)).toEqual(filesBefore)
    expect(
      (await app.inject('/api/runs')).json().runs.map((run: { id: string }) => run.id),
    ).toEqual([kept.id])
    expect((await app.inject(`/api/runs/${kept.id}/file`)).rawPayload).toEqual(keptFile)
    expect((await app.inject(`/api/runs/${kept.id}/stats`)).statusCode).toBe(200)
  })

  it('says what the shim found, e.g. for an empty file', async () => {
    const { app } = await build()
    const response = await upload(app, fixturePath('bad_empty.prof'))

    expect(response.json().message).toMatch(/empty/i)
  })

  it('answers 413 above MAX_UPLOAD_MB and keeps no partial file', async () => {
    const { app, dataDir } = await build({ MAX_UPLOAD_MB: '0.005' })
    const response = await upload(app, fixturePath('recursion-py3.11.prof'))

    expect(response.statusCode).toBe(413)
    expect(response.json()).toEqual({
      error: 'Payload Too Large',
      message: 'The file is larger than the 0.005 MB limit (MAX_UPLOAD_MB).',
    })
    expect(await listDataFiles(dataDir)).toEqual([])
  })

  it.each([
    ['JSON', { 'content-type': 'application/json' }, '{"file":"x"}'],
    ['raw bytes', { 'content-type': 'application/octet-stream' }, 'abc'],
    ['text', { 'content-type': 'text/plain' }, 'abc'],
  ])('answers 415 to a %s body', async (_label, headers, payload) => {
    const { app } = await build()
    const response = await app.inject({ method: 'POST', url: '/api/runs', headers, payload })

    expect(response.statusCode).toBe(415)
    expect(response.json()).toEqual({
      error: 'Unsupported Media Type',
      message: expect.stringMatching(/multipart\/form-data/),
    })
  })

  it('answers 400 when the file field is missing', async () => {
    const { app } = await build()
    const form = new FormData()
    form.append('name', 'no file')
    const response = await app.inject({ method: 'POST', url: '/api/runs', payload: form })

    expect(response.statusCode).toBe(400)
    expect(response.json().message).toMatch(/field named "file"/)
  })

  it('answers 400 to a body cut off in the middle', async () => {
    const { app, dataDir } = await build()
    const response = await app.inject({
      method: 'POST',
      url: '/api/runs',
      headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
      payload: '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.prof"\r\n\r\nabc',
    })

    expect(response.statusCode).toBe(400)
    expect(await listDataFiles(dataDir)).toEqual([])
  })
})

describe('POST /api/runs when the converter cannot run', () => {
  it('answers 503 without naming the interpreter when Python is missing', async () => {
    const { app, dataDir } = await build({ PYTHON: '/nonexistent/bin/python3' })
    const response = await upload(app, fixturePath('recursion-py3.11.prof'))

    expect(response.statusCode).toBe(503)
    expect(response.json().error).toBe('Service Unavailable')
    expect(response.body).not.toMatch(/nonexistent|\/bin\/|ENOENT|at /)
    expect(await listDataFiles(dataDir)).toEqual([])
  })

  it('answers a bare 500 when the converter fails', async () => {
    // /bin/false is an "interpreter" that exits 1 whatever it is given: a shim crash.
    const { app, dataDir } = await build({ PYTHON: '/bin/false' })
    const response = await upload(app, fixturePath('recursion-py3.11.prof'))

    expect(response.statusCode).toBe(500)
    expect(response.json()).toEqual({
      error: 'Internal Server Error',
      message: 'Something went wrong on the server; try again.',
    })
    expect(await listDataFiles(dataDir)).toEqual([])
  })
})
