import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { build } from './helper.ts'

describe('not found', () => {
  it.each([
    ['GET', '/api/nope'],
    ['GET', '/api'],
    ['POST', '/api/runs/x/y/z'],
    ['GET', '/api/runs/AAAAAAAAAAAAAAAAAAAAAA/nope'],
    ['DELETE', '/runs/abc'],
  ] as const)('answers %s %s with a 404 JSON error, never the web page', async (method, url) => {
    const { app } = await build()
    const response = await app.inject({ method, url })

    expect(response.statusCode).toBe(404)
    expect(response.headers['content-type']).toMatch(/^application\/json/)
    expect(response.json()).toEqual({ error: 'Not Found', message: expect.any(String) })
  })
})

describe('the web app', () => {
  async function buildWithWebDist() {
    const dist = await mkdtemp(path.join(tmpdir(), 'profhub-web-'))
    onTestFinished(() => rm(dist, { recursive: true, force: true }))
    await mkdir(path.join(dist, 'assets'))
    await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>profhub</title>')
    await writeFile(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)')
    return (await build({ WEB_DIST: dist })).app
  }

  it.each(['/', '/runs/AAAAAAAAAAAAAAAAAAAAAA', '/compare/a/b?tab=table'])(
    'answers %s with index.html, revalidated every time',
    async (url) => {
      const app = await buildWithWebDist()
      const response = await app.inject(url)

      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toMatch(/^text\/html/)
      expect(response.headers['cache-control']).toBe('no-cache')
      expect(response.body).toContain('<title>profhub</title>')
    },
  )

  it('has the browser fetch the runs and profiles (and a run page’s call tree) while the app loads', async () => {
    const app = await buildWithWebDist()
    const id = 'AAAAAAAAAAAAAAAAAAAAAA'
    const other = 'BBBBBBBBBBBBBBBBBBBBBB'
    const preload = (run: string) =>
      `</api/runs/${run}>; rel=preload; as=fetch; crossorigin, </api/runs/${run}/profile>; rel=preload; as=fetch; crossorigin`

    expect((await app.inject(`/runs/${id}?v=2&tab=table`)).headers.link).toBe(
      `${preload(id)}, </api/runs/${id}/tree>; rel=preload; as=fetch; crossorigin`,
    )
    expect((await app.inject(`/compare/${id}/${other}`)).headers.link).toBe(
      `${preload(id)}, ${preload(other)}`,
    )
    expect((await app.inject('/')).headers.link).toBeUndefined()
    expect((await app.inject('/runs/not-an-id')).headers.link).toBeUndefined()
  })

  it('serves hashed assets with a long cache', async () => {
    const app = await buildWithWebDist()
    const response = await app.inject('/assets/index-abc123.js')

    expect(response.statusCode).toBe(200)
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable')
  })

  it('answers a missing file with a 404, not the page', async () => {
    const app = await buildWithWebDist()
    const response = await app.inject('/assets/missing-123.js')

    expect(response.statusCode).toBe(404)
  })

  it('says to run pnpm build when the web app is not built', async () => {
    const { app } = await build()
    const response = await app.inject('/runs/AAAAAAAAAAAAAAAAAAAAAA')

    expect(response.statusCode).toBe(503)
    expect(response.headers['content-type']).toMatch(/^text\/plain/)
    expect(response.body).toMatch(/pnpm build/)
    expect(response.body).not.toMatch(/\/tmp|\/work/)
  })
})

describe('every response', () => {
  it('tells browsers not to sniff content types', async () => {
    const { app } = await build()

    expect((await app.inject('/api/runs')).headers['x-content-type-options']).toBe('nosniff')
    expect((await app.inject('/api/nope')).headers['x-content-type-options']).toBe('nosniff')
  })
})
