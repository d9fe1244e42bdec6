import { readFileSync, rmSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fixturePath } from '@profhub/fixtures'
import Fastify from 'fastify'
import { describe, expect, it, onTestFinished } from 'vitest'
import configPlugin, { parseConfig } from '../../src/plugins/app/config.ts'
import profileWorkersPlugin from '../../src/plugins/app/profile-workers.ts'
import converterPlugin from '../../src/plugins/app/pstats-converter.ts'
import { build, listDataFiles, upload } from '../helper.ts'

async function buildConverter(env: Record<string, string> = {}) {
  const app = Fastify()
  app.register(configPlugin, { config: parseConfig({ DATA_DIR: '/nonexistent', ...env }) })
  app.register(profileWorkersPlugin)
  app.register(converterPlugin)
  onTestFinished(() => app.close())
  await app.ready()
  return app
}

describe('pstats-converter plugin', () => {
  it.each(['recursion-py3.11', 'recursion-py2.7', 'recursion-profile-py3.11', 'hostile_names'])(
    'converts %s.prof to its golden document',
    async (name) => {
      const app = await buildConverter()
      const { meta, jsonPath } = await app.convertProfile(fixturePath(`${name}.prof`))
      const json = readFileSync(jsonPath, 'utf8')
      rmSync(jsonPath)

      const golden = JSON.parse(readFileSync(fixturePath(`${name}.json`), 'utf8'))
      expect(JSON.parse(json)).toEqual(golden)
      expect(meta).toEqual({
        sourceFormat: golden.sourceFormat,
        pythonVersion: golden.pythonVersion,
        summary: golden.summary,
      })
    },
  )

  it('rejects a file that is not a profile with the shim’s reason', async () => {
    const app = await buildConverter()

    await expect(app.convertProfile(fixturePath('bad_gzip.prof'))).rejects.toMatchObject({
      statusCode: 400,
      title: 'Not A Profile',
      message: expect.stringMatching(/^This looks like a gzip-compressed file.* Upload a \.prof/),
    })
  })

  it('answers the probe', async () => {
    const app = await buildConverter()

    expect(await app.checkShim()).toBe(true)
  })

  it('reports a missing interpreter as a 503, and the probe fails', async () => {
    const app = await buildConverter({ PYTHON: '/nonexistent/python3' })

    expect(await app.checkShim()).toBe(false)
    await expect(app.convertProfile(fixturePath('recursion-py3.11.prof'))).rejects.toMatchObject({
      statusCode: 503,
    })
  })

  it('does not trust what the shim prints', async () => {
    // echo exits 0 and prints its arguments: output that is not a document.
    const app = await buildConverter({ PYTHON: '/bin/echo' })

    const attempt = app.convertProfile(fixturePath('recursion-py3.11.prof'))
    await expect(attempt).rejects.toThrow(/invalid JSON/)
    await expect(attempt).rejects.not.toHaveProperty('statusCode')
  })
})

describe('pstats-converter plugin, output checked in a worker thread', () => {
  it('rejects a document that is valid JSON but not a profile, as a 500 and nothing stored', async () => {
    // A "python" that writes a JSON document of the wrong shape (--output) and exits 0.
    const dir = await mkdtemp(path.join(tmpdir(), 'profhub-fake-python-'))
    onTestFinished(() => rm(dir, { recursive: true, force: true }))
    const fake = path.join(dir, 'python3')
    await writeFile(
      fake,
      '#!/bin/sh\n# -I shim --output PATH input\necho \'{"formatVersion": 2, "functions": []}\' > "$4"\n',
      {
        mode: 0o755,
      },
    )
    const app = await buildConverter({ PYTHON: fake })

    const attempt = app.convertProfile(fixturePath('recursion-py3.11.prof'))
    await expect(attempt).rejects.toThrow(/shim output rejected: schema/)
    await expect(attempt).rejects.not.toHaveProperty('statusCode')

    const { app: whole, dataDir } = await build({ PYTHON: fake })
    const response = await upload(whole, fixturePath('recursion-py3.11.prof'))
    expect(response.statusCode).toBe(500)
    expect(response.json()).toEqual({
      error: 'Internal Server Error',
      message: 'Something went wrong on the server; try again.',
    })
    expect(await listDataFiles(dataDir)).toEqual([])
  })
})
