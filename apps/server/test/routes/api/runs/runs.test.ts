import { existsSync, readFileSync, rmSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { fixturePath } from '@profhub/fixtures'
import { describe, expect, it } from 'vitest'
import { build, upload, uploadRun } from '../../../helper.ts'

const UNKNOWN_ID = 'AAAAAAAAAAAAAAAAAAAAAA'

describe('GET /api/runs', () => {
  it('pages newest first with an opaque cursor', async () => {
    const { app } = await build()
    const fixtures = ['recursion-py3.11.prof', 'shapes-py3.11.prof', 'sorting-py3.11.prof']
    const ids: string[] = []
    for (const fixture of [...fixtures, ...fixtures]) ids.push((await uploadRun(app, fixture)).id)

    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`
      const response = await app.inject(`/api/runs?limit=4${query}`)
      expect(response.statusCode).toBe(200)
      const page = response.json()
      for (const run of page.runs) {
        expect(Object.keys(run).sort()).toEqual([
          'createdAt',
          'environment',
          'id',
          'labels',
          'name',
          'note',
          'summary',
        ])
      }
      seen.push(...page.runs.map((run: { id: string }) => run.id))
      cursor = page.nextCursor
      pages += 1
    } while (cursor !== null)

    expect(pages).toBe(2)
    expect(seen).toEqual(ids.toReversed())
  })

  it('returns up to 50 runs by default, and nextCursor null at the end', async () => {
    const { app } = await build()
    await uploadRun(app, 'recursion-py3.11.prof')
    const response = await app.inject('/api/runs')

    expect(response.json()).toEqual({ runs: [expect.any(Object)], nextCursor: null })
  })

  it.each([
    ['limit=0'],
    ['limit=-1'],
    ['limit=abc'],
    ['limit=501'],
    ['cursor=bm9wZQ'],
    ['cursor=%%%'],
  ])('answers 400 to %s', async (query) => {
    const { app } = await build()
    const response = await app.inject(`/api/runs?${query}`)

    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({ error: 'Bad Request', message: expect.any(String) })
  })
})

describe('a stored run', () => {
  it('renames, trimming the name; refuses empty or over 200 characters', async () => {
    const { app } = await build()
    const { id } = await uploadRun(app, 'recursion-py3.11.prof')
    const rename = (name: unknown) =>
      app.inject({ method: 'PATCH', url: `/api/runs/${id}`, payload: { name } })

    const renamed = await rename('  Before the fix  ')
    expect(renamed.statusCode).toBe(200)
    expect(renamed.json()).toMatchObject({ id, name: 'Before the fix' })
    expect((await app.inject(`/api/runs/${id}`)).json().name).toBe('Before the fix')
    expect((await rename('é'.repeat(200))).statusCode).toBe(200)

    for (const bad of ['', '   ', 'x'.repeat(201), 42, null, ['x']]) {
      const response = await rename(bad)
      expect(response.statusCode, JSON.stringify(bad)).toBe(400)
      expect(Object.keys(response.json())).toEqual(['error', 'message'])
    }
    const extra = await app.inject({
      method: 'PATCH',
      url: `/api/runs/${id}`,
      payload: { name: 'ok', id: 'other' },
    })
    expect(extra.json()).toEqual({
      error: 'Bad Request',
      message: 'The field "id" is not allowed.',
    })
    expect((await app.inject(`/api/runs/${id}`)).json().name).toBe('é'.repeat(200))
  })

  it('deletes: 204, then 404 everywhere, and its files are gone', async () => {
    // About DATA_DIR's own files: the embedded store's, whatever the backend under test.
    const { app, dataDir } = await build({ DATABASE_URL: '' })
    const kept = await uploadRun(app, 'shapes-py3.11.prof')
    const { id } = await uploadRun(app, 'recursion-py3.11.prof')

    const response = await app.inject({ method: 'DELETE', url: `/api/runs/${id}` })
    expect(response.statusCode).toBe(204)
    expect(response.body).toBe('')
    for (const url of [`/api/runs/${id}`, `/api/runs/${id}/stats`, `/api/runs/${id}/file`]) {
      expect((await app.inject(url)).statusCode, url).toBe(404)
    }
    expect((await app.inject({ method: 'DELETE', url: `/api/runs/${id}` })).statusCode).toBe(404)
    expect(await readdir(path.join(dataDir, 'runs'))).toEqual([kept.id])
  })

  it('serves the converted profile with an immutable ETag', async () => {
    const { app } = await build()
    const { id } = await uploadRun(app, 'recursion-py3.11.prof')

    const response = await app.inject(`/api/runs/${id}/profile`)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(response.headers['cache-control']).toBe('private, max-age=31536000, immutable')
    const golden = JSON.parse(readFileSync(fixturePath('recursion-py3.11.json'), 'utf8'))
    expect(response.json()).toEqual(golden)
    expect(response.json().formatVersion).toBe(2)

    const etag = response.headers.etag as string
    expect(etag).toMatch(/^".+"$/)
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await app.inject({
        url: `/api/runs/${id}/profile`,
        headers: { 'if-none-match': ifNoneMatch },
      })
      expect(again.statusCode, ifNoneMatch).toBe(304)
      expect(again.body).toBe('')
      expect(again.headers.etag).toBe(etag)
    }
    const stale = await app.inject({
      url: `/api/runs/${id}/profile`,
      headers: { 'if-none-match': '"other"' },
    })
    expect(stale.statusCode).toBe(200)
  })

  it('compresses the profile for clients that accept it', async () => {
    const { app } = await build()
    const { id } = await uploadRun(app, 'recursion-py3.11.prof')
    const response = await app.inject({
      url: `/api/runs/${id}/profile`,
      headers: { 'accept-encoding': 'br, gzip' },
    })

    expect(response.headers['content-encoding']).toBe('br')
    const json = JSON.parse(brotliDecompressSync(response.rawPayload).toString('utf8'))
    expect(json.summary.functionCount).toBe(106)
  })

  it('sends a copy compressed once, when the run was stored', async () => {
    // About DATA_DIR's own files: the embedded store's, whatever the backend under test.
    const { app, dataDir } = await build({ DATABASE_URL: '' })
    const { id } = await uploadRun(app, 'recursion-py3.11.prof')
    const copy = path.join(dataDir, 'runs', id, 'profile.json.br')
    await expect.poll(() => existsSync(copy)).toBe(true)

    const response = await app.inject({
      url: `/api/runs/${id}/profile`,
      headers: { 'accept-encoding': 'gzip, br;q=0.9' },
    })
    expect(response.headers['content-encoding']).toBe('br')
    expect(response.headers.vary).toMatch(/accept-encoding/i)
    expect(response.rawPayload).toEqual(readFileSync(copy))
    const golden = JSON.parse(readFileSync(fixturePath('recursion-py3.11.json'), 'utf8'))
    expect(JSON.parse(brotliDecompressSync(response.rawPayload).toString('utf8'))).toEqual(golden)

    for (const acceptEncoding of ['gzip', 'br;q=0, gzip']) {
      const gzip = await app.inject({
        url: `/api/runs/${id}/profile`,
        headers: { 'accept-encoding': acceptEncoding },
      })
      expect(gzip.headers['content-encoding'], acceptEncoding).toBe('gzip')
      expect(JSON.parse(gunzipSync(gzip.rawPayload).toString('utf8'))).toEqual(golden)
    }
  })

  it('makes the compressed copy again when it is missing', async () => {
    // About DATA_DIR's own files: the embedded store's, whatever the backend under test.
    const { app, dataDir } = await build({ DATABASE_URL: '' })
    const { id } = await uploadRun(app, 'recursion-py3.11.prof')
    const copy = path.join(dataDir, 'runs', id, 'profile.json.br')
    await expect.poll(() => existsSync(copy)).toBe(true)
    rmSync(copy)

    const first = await app.inject({
      url: `/api/runs/${id}/profile`,
      headers: { 'accept-encoding': 'br' },
    })
    expect(JSON.parse(brotliDecompressSync(first.rawPayload).toString('utf8')).formatVersion).toBe(
      2,
    )
    await expect.poll(() => existsSync(copy)).toBe(true)
  })

  it('downloads the original bytes under the uploaded file name', async () => {
    const { app } = await build()
    const { id } = await uploadRun(app, 'recursion-py3.11.prof')
    const response = await app.inject(`/api/runs/${id}/file`)

    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/octet-stream')
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="recursion-py3.11.prof"',
    )
    expect(response.rawPayload).toEqual(readFileSync(fixturePath('recursion-py3.11.prof')))
  })

  it('encodes a non-ASCII, hostile file name safely', async () => {
    const { app } = await build()
    const created = await upload(app, fixturePath('recursion-py3.11.prof'), {
      // Browsers (and undici's FormData) send a quote in a file name as %22: that is tested in
      // content-disposition.test.ts.
      fileName: 'prøfil <x> 🔥.prof',
    })
    const { id, name } = created.json()
    const response = await app.inject(`/api/runs/${id}/file`)

    expect(name).toBe('prøfil <x> 🔥.prof')
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="pr_fil <x> __.prof"; filename*=UTF-8''pr%C3%B8fil%20%3Cx%3E%20%F0%9F%94%A5.prof`,
    )
  })
})

describe('a restart', () => {
  it('keeps every run, its profile and its file', async () => {
    const first = await build()
    const run = await uploadRun(first.app, 'recursion-py3.11.prof', 'kept across restarts')
    const before = await first.app.inject(`/api/runs/${run.id}/stats?limit=1000`)
    await first.app.close()

    const { app } = await build({}, first.dataDir)
    expect((await app.inject(`/api/runs/${run.id}`)).json()).toMatchObject({
      id: run.id,
      name: 'kept across restarts',
    })
    expect((await app.inject(`/api/runs/${run.id}/stats?limit=1000`)).body).toBe(before.body)
    expect((await app.inject(`/api/runs/${run.id}/file`)).rawPayload).toEqual(
      readFileSync(fixturePath('recursion-py3.11.prof')),
    )
  })
})

describe('ids', () => {
  const routes = [
    ['GET', ''],
    ['GET', '/stats'],
    ['GET', '/profile'],
    ['GET', '/tree'],
    ['GET', '/file'],
    ['PATCH', ''],
    ['DELETE', ''],
  ] as const

  it.each([
    ['an unknown run id', UNKNOWN_ID],
    ['too short', 'abc'],
    ['too long', `${UNKNOWN_ID}A`],
    ['not URL-safe', 'AAAAAAAAAAAAAAAAAAAA.A'],
  ])('answers 404 JSON for %s', async (_label, id) => {
    const { app } = await build()
    await uploadRun(app, 'recursion-py3.11.prof')
    for (const [method, suffix] of routes) {
      const response = await app.inject({
        method,
        url: `/api/runs/${id}${suffix}`,
        ...(method === 'PATCH' ? { payload: { name: 'x' } } : {}),
      })
      expect(response.statusCode, `${method} ${suffix}`).toBe(404)
      expect(response.json()).toEqual({ error: 'Not Found', message: expect.any(String) })
    }
  })
})
