import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../../../helper.ts'
import {
  APP_FILE,
  environmentDocument,
  memoryDocument,
  type Parts,
  partsForm,
  sourceBundle,
} from './run-parts-helpers.ts'

type App = Awaited<ReturnType<typeof build>>['app']

async function post(app: App, form: FormData, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/api/runs', payload: form, headers })
}

async function create(app: App, parts: Parts, options?: Parameters<typeof partsForm>[1]) {
  const response = await post(app, partsForm(parts, options))
  expect(response.statusCode, response.body).toBe(201)
  return response.json() as { id: string; [key: string]: unknown }
}

describe('POST /api/runs with memory, source and environment parts', () => {
  it.each([
    ['file parts', false],
    ['plain fields', true],
  ])('keeps all three, sent as %s, and serves them back', async (_how, asFields) => {
    // About DATA_DIR's own files: the embedded store's, whatever the backend under test.
    const { app, dataDir } = await build({ DATABASE_URL: '' })
    const memory = memoryDocument()
    const source = sourceBundle()
    const environment = environmentDocument()

    const created = await create(app, { memory, source, environment }, { asFields })

    const expected = {
      environment,
      hasMemory: true,
      sourceFiles: [APP_FILE, '/home/me/app/main.py'],
    }
    expect(created).toMatchObject(expected)
    const got = (await app.inject(`/api/runs/${created.id}`)).json()
    expect(got).toMatchObject(expected)
    const listed = (await app.inject('/api/runs')).json().runs[0]
    expect(listed.environment).toEqual(environment)

    const served = await app.inject(`/api/runs/${created.id}/memory`)
    expect(served.statusCode).toBe(200)
    expect(served.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(served.json()).toEqual(memory)

    for (const file of source.files) {
      const text = await app.inject({
        url: `/api/runs/${created.id}/source`,
        query: { file: file.path },
      })
      expect(text.statusCode).toBe(200)
      expect(text.headers['content-type']).toBe('text/plain; charset=utf-8')
      expect(text.headers['x-content-type-options']).toBe('nosniff')
      expect(text.headers['content-security-policy']).toContain("script-src 'self'")
      expect(text.body).toBe(file.text)
    }
    // Kept as files beside the profile, as checked.
    const dir = path.join(dataDir, 'runs', created.id)
    expect((await readdir(dir)).filter((f) => f.endsWith('.json')).sort()).toEqual([
      'memory.json',
      'profile.json',
      'source.json',
    ])
    expect(JSON.parse(await readFile(path.join(dir, 'memory.json'), 'utf8'))).toEqual(memory)
  })

  it('drops keys it does not know and never keeps a sent "guessed"', async () => {
    const { app } = await build()
    const memory = { ...memoryDocument(), future: 1 }
    const environment = { ...environmentDocument(), guessed: true, later: 'x' }

    const created = await create(app, { memory, environment })

    const { future: _future, ...knownMemory } = memory
    expect((await app.inject(`/api/runs/${created.id}/memory`)).json()).toEqual(knownMemory)
    expect(created.environment).toEqual(environmentDocument())
  })

  it('takes markup and odd but harmless text as data, and gives it back unchanged', async () => {
    const { app } = await build()
    const file = '/home/me/<app>/</script><img src=x onerror=alert(1)>.py'
    const text = '</script><script>alert(1)</script>\n# \u202e RTL inside a comment is text\n'
    const memory = { ...memoryDocument(), lines: [{ file, line: 1, size: 10, count: 1 }] }
    const source = { formatVersion: 1, files: [{ path: file, text }] }

    const created = await create(app, { memory, source })

    expect((await app.inject(`/api/runs/${created.id}/memory`)).json().lines[0].file).toBe(file)
    const served = await app.inject({ url: `/api/runs/${created.id}/source`, query: { file } })
    expect(served.body).toBe(text)
    expect(served.headers['content-type']).toBe('text/plain; charset=utf-8')
  })

  it('guesses an environment from the profile when none was sent', async () => {
    const { app } = await build()
    const created = await create(app, {})
    const run = (await app.inject(`/api/runs/${created.id}`)).json()

    expect(run.environment).toEqual({
      formatVersion: 1,
      python: { version: run.source.pythonVersion },
      profiler: { name: run.sourceFormat },
      guessed: true,
    })
    expect(run).toMatchObject({ hasMemory: false, sourceFiles: [] })
  })

  it('gives the parts to the one run of a merge', async () => {
    const { app } = await build()
    const created = await create(
      app,
      { memory: memoryDocument(), environment: environmentDocument() },
      { files: ['recursion-py3.11.prof', 'shapes-py3.11.prof'], fields: [['mode', 'merge']] },
    )
    expect(created).toMatchObject({ sourceFormat: 'merged', hasMemory: true })
  })

  it('takes the three parts beside the most files an upload may have', async () => {
    const { app } = await build()
    const parts = {
      memory: memoryDocument(),
      source: sourceBundle(),
      environment: environmentDocument(),
    }
    const files = Array<string>(20).fill('shapes-py3.11.prof')
    const created = await create(app, parts, { files, fields: [['mode', 'merge']] })
    expect(created).toMatchObject({ hasMemory: true, environment: environmentDocument() })
  })
})

describe('GET /api/runs/:id/memory and /source when there is nothing', () => {
  it('answers 404 with what to do', async () => {
    const { app } = await build()
    const plain = await create(app, {})
    const withSource = await create(app, { source: sourceBundle() })

    const memory = await app.inject(`/api/runs/${plain.id}/memory`)
    expect(memory.statusCode).toBe(404)
    expect(memory.json()).toEqual({
      error: 'Not Found',
      message: expect.stringMatching(
        /^This run has no memory data: upload with profhub.py run --memory/,
      ),
    })
    const noSource = await app.inject({
      url: `/api/runs/${plain.id}/source`,
      query: { file: APP_FILE },
    })
    expect(noSource.statusCode).toBe(404)
    expect(noSource.json().message).toMatch(/source was not uploaded.*--no-source/)
    const otherFile = await app.inject({
      url: `/api/runs/${withSource.id}/source`,
      query: { file: '/usr/lib/python3.12/json/decoder.py' },
    })
    expect(otherFile.statusCode).toBe(404)
    expect(otherFile.json().message).toMatch(
      /no source for "\/usr\/lib\/python3.12\/json\/decoder.py".*this run has 2/,
    )
  })

  it('answers 404 for an unknown run, and 400 without ?file', async () => {
    const { app } = await build()
    const unknown = 'AAAAAAAAAAAAAAAAAAAAAA'
    for (const url of [
      `/api/runs/${unknown}/memory`,
      `/api/runs/${unknown}/source?file=x.py`,
      '/api/runs/not-an-id/memory',
    ]) {
      const response = await app.inject(url)
      expect(response.statusCode, url).toBe(404)
      expect(response.json().message).toMatch(/There is no run with this id/)
    }
    const run = await create(app, { source: sourceBundle() })
    const noFile = await app.inject(`/api/runs/${run.id}/source`)
    expect(noFile.statusCode).toBe(400)
    expect(noFile.json().message).toMatch(/"file" is required/)
  })

  it('needs no token for a run of its own URLs, while the list does', async () => {
    const token = 'team-token-0123456789'
    const { app } = await build({ AUTH_TOKEN: token })
    const response = await post(
      app,
      partsForm({ memory: memoryDocument(), source: sourceBundle() }),
      { authorization: `Bearer ${token}` },
    )
    const { id } = response.json()

    expect((await app.inject(`/api/runs/${id}/memory`)).statusCode).toBe(200)
    const source = await app.inject({ url: `/api/runs/${id}/source`, query: { file: APP_FILE } })
    expect(source.statusCode).toBe(200)
    expect((await app.inject('/api/runs?label=a=b')).statusCode).toBe(401)
  })
})
