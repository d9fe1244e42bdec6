import { execFile } from 'node:child_process'
import { readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { fixturePath, legacyDocumentPath, PYTHON } from '@profhub/fixtures'
import { describe, expect, it } from 'vitest'
import { build, upload, uploadMany, uploadRun } from '../../../helper.ts'
import {
  getExport,
  pstatsDictsEqual,
  readWithPstats,
  saveExport,
  tempDir,
} from './export-consumers.ts'

const FORMATS = [
  ['prof', 'application/octet-stream', 'my run.prof'],
  ['pstats', 'text/plain; charset=utf-8', 'my run.txt'],
  ['csv', 'text/csv; charset=utf-8; header=present', 'my run.csv'],
  ['callgrind', 'text/plain; charset=utf-8', 'callgrind.out.my run'],
  ['speedscope', 'application/json; charset=utf-8', 'my run.speedscope.json'],
] as const

describe('GET /api/runs/:id/export/:format', () => {
  it.each(FORMATS)('sends %s as %s, to save as “%s”', async (format, type, fileName) => {
    const { app } = await build()
    const { id } = await uploadRun(app, 'recursion-py3.11.prof', 'my run.prof')
    const response = await getExport(app, id, format)

    expect(response.headers['content-type']).toBe(type)
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${fileName}"`)
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    expect(Number(response.headers['content-length'])).toBe(response.rawPayload.length)
  })

  it('names the download after the run, whatever characters its name has', async () => {
    const { app } = await build()
    const { id } = await uploadRun(app, 'recursion-py3.11.prof', 'naïve "run"/\n2')
    const response = await getExport(app, id, 'csv')

    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="na_ve _run_2.csv"; filename*=UTF-8''na%C3%AFve%20%22run%222.csv`,
    )
  })

  it('answers an unknown format, run or id with a 404 JSON error', async () => {
    const { app } = await build()
    const { id } = await uploadRun(app, 'recursion-py3.11.prof')

    const format = await app.inject(`/api/runs/${id}/export/xlsx`)
    expect(format.statusCode).toBe(404)
    expect(format.json()).toEqual({
      error: 'Not Found',
      message: expect.stringContaining('prof, pstats, csv, callgrind, speedscope'),
    })
    for (const url of [
      `/api/runs/${'A'.repeat(22)}/export/csv`,
      `/api/runs/${'A'.repeat(22)}/export/prof`,
      '/api/runs/not-an-id/export/csv',
      `/api/runs/${id}/export`,
    ]) {
      const response = await app.inject(url)
      expect(response.statusCode, url).toBe(404)
      expect(response.json(), url).toMatchObject({ error: 'Not Found' })
    }
  })

  it('answers a failure with a JSON error, not a file to save', async () => {
    const first = await build()
    const { id } = await uploadRun(first.app, 'recursion-py3.11.prof')
    await first.app.close()
    // The same store, served by a server whose Python cannot be started.
    const { app } = await build({ PYTHON: '/nonexistent/python3' }, first.dataDir)

    const response = await app.inject(`/api/runs/${id}/export/pstats`)
    expect(response.statusCode).toBe(503)
    expect(response.headers['content-disposition']).toBeUndefined()
    expect(response.json()).toMatchObject({ error: 'Service Unavailable' })
    expect(JSON.stringify(response.json())).not.toContain('nonexistent')
    // The exports made in JavaScript need no Python.
    expect((await app.inject(`/api/runs/${id}/export/csv`)).statusCode).toBe(200)
  })

  it('exports a merged run as pstats merges its files', async () => {
    const { app } = await build()
    const files = ['jsondoc-py3.11.prof', 'tokenizer-py3.11.prof', 'shapes-py3.11.prof']
    const { id } = (await uploadMany(app, files, { mode: 'merge' })).json()
    const dir = await tempDir()
    const prof = await saveExport(app, id, 'prof', dir)

    // pstats.Stats(a).add(b, c): the same dict, in the same order, to the last bit.
    expect(await pstatsDictsEqual(prof, ...files.map((file) => fixturePath(file)))).toBe(true)
    const merged = await readWithPstats(...files.map((file) => fixturePath(file)))
    const report = (await getExport(app, id, 'pstats')).body
    if ('refused' in merged) throw new Error(merged.refused)
    // pstats lists the three files first; the rest of its report is ours, line for line.
    const rest = (text: string) => text.slice(text.indexOf('function calls'))
    expect(rest(report)).toBe(rest(merged.report))
  })

  it('exports runs stored in formatVersion 1 as those stored in version 2', async () => {
    // About DATA_DIR's own files: the embedded store's, whatever the backend under test.
    const { app, dataDir } = await build({ DATABASE_URL: '' })
    const current = await uploadRun(app, 'recursion-py3.11.prof', 'a run')
    const older = await uploadRun(app, 'recursion-py3.11.prof', 'a run')
    const runDir = path.join(dataDir, 'runs', older.id)
    await writeFile(
      path.join(runDir, 'profile.json'),
      await readFile(legacyDocumentPath('recursion-py3.11.v1.json')),
    )
    await rm(path.join(runDir, 'profile.json.br'), { force: true })

    for (const format of ['csv', 'callgrind', 'speedscope']) {
      expect((await getExport(app, older.id, format)).body, format).toBe(
        (await getExport(app, current.id, format)).body,
      )
    }
  })

  it('leaves the 3.15 sampler’s marker out, so that this pstats loads the file', async () => {
    const { app } = await build()
    const { id } = await uploadRun(app, 'sampled-py3.15.prof')
    const read = await readWithPstats(await saveExport(app, id, 'prof', await tempDir()))

    expect(read).toMatchObject({ functionCount: 7, totalCalls: 332, primitiveCalls: 97 })
  })

  it('sums Python 2.7 keys that only bytes that are not UTF-8 told apart', async () => {
    const { app } = await build()
    const dir = await tempDir()
    // Two 2.7-style byte-string files that both read as "a\ufffd.py" once decoded.
    const file = path.join(dir, 'bytes.prof')
    await promisify(execFile)(PYTHON, [
      '-c',
      `import marshal, sys
f = lambda name: (name, 1, b"f")
main = (b"m.py", 1, b"main")
stats = {
  main: (1, 1, 0.5, 1.0, {}),
  f(b"a\\xff.py"): (2, 2, 0.25, 0.25, {main: (2, 2, 0.25, 0.25)}),
  f(b"a\\xfe.py"): (3, 3, 0.125, 0.125, {main: (3, 3, 0.125, 0.125)}),
}
open(sys.argv[1], "wb").write(marshal.dumps(stats))`,
      file,
    ])
    const response = await upload(app, file)
    expect(response.statusCode, response.body).toBe(201)
    const { id } = response.json()
    const rows = (await app.inject(`/api/runs/${id}/stats`)).json().rows
    expect(rows.filter((row: { file: string }) => row.file === 'a\ufffd.py')).toHaveLength(2)

    const read = await readWithPstats(await saveExport(app, id, 'prof', dir))
    if ('refused' in read) throw new Error(read.refused)
    expect(read.rows).toEqual([
      ['m.py', 1, 'main', 1, 1, 0.5, 1.0],
      ['a\ufffd.py', 1, 'f', 5, 5, 0.375, 0.375],
    ])
  })
})
