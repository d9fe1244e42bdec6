import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/plugins/app/config.ts'
import { build, uploadRun } from '../helper.ts'

const POLICY =
  "default-src 'self';script-src 'self';worker-src 'self';style-src 'self';img-src 'self' data:;" +
  "connect-src 'self';object-src 'none';base-uri 'none';form-action 'self';frame-ancestors 'none'"

// Swagger UI sets inline styles: allowed on its pages only.
const DOCS_POLICY = POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

/** Every response, whatever answers it, carries exactly these. */
const EXPECTED = {
  'content-security-policy': POLICY,
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': undefined,
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  'x-powered-by': undefined,
  'x-xss-protection': '0',
}

function securityHeaders(response: LightMyRequestResponse) {
  return Object.fromEntries(Object.keys(EXPECTED).map((name) => [name, response.headers[name]]))
}

// A stand-in for apps/web/dist: the tests must not depend on a web build being there.
let webDist: string
beforeAll(async () => {
  webDist = await mkdtemp(path.join(tmpdir(), 'profhub-web-'))
  await mkdir(path.join(webDist, 'assets'))
  await writeFile(path.join(webDist, 'index.html'), '<!doctype html><title>profhub</title>\n')
  await writeFile(path.join(webDist, 'assets', 'index-x.js'), 'export {}\n')
})
afterAll(() => rm(webDist, { recursive: true, force: true }))

describe('security headers', () => {
  it('are on pages, static files, API answers and errors', async () => {
    const { app } = await build({ WEB_DIST: webDist })
    const answers = {
      'the SPA at /': await app.inject('/'),
      'a run page': await app.inject('/runs/AAAAAAAAAAAAAAAAAAAAAA'),
      'an asset': await app.inject('/assets/index-x.js'),
      'an API answer': await app.inject('/api/health'),
      'a 404 under /api': await app.inject('/api/nothing-here'),
      'a 404 for a missing file': await app.inject('/favicon.png'),
      'a 404 for an unknown run': await app.inject('/api/runs/AAAAAAAAAAAAAAAAAAAAAA'),
      'a 400 (bad query)': await app.inject('/api/runs?limit=0'),
      'a 415 (wrong type)': await app.inject({
        method: 'POST',
        url: '/api/runs',
        headers: { 'content-type': 'text/plain' },
        payload: 'hello',
      }),
      'a 400 (not a profile)': await app.inject({
        method: 'POST',
        url: '/api/runs',
        payload: (() => {
          const form = new FormData()
          form.append('file', new Blob(['not a profile']), 'x.prof')
          return form
        })(),
      }),
      'a HEAD': await app.inject({ method: 'HEAD', url: '/api/health' }),
    }
    const statuses = Object.fromEntries(
      Object.entries(answers).map(([what, response]) => [what, response.statusCode]),
    )
    expect(statuses).toEqual({
      'the SPA at /': 200,
      'a run page': 200,
      'an asset': 200,
      'an API answer': 200,
      'a 404 under /api': 404,
      'a 404 for a missing file': 404,
      'a 404 for an unknown run': 404,
      'a 400 (bad query)': 400,
      'a 415 (wrong type)': 415,
      'a 400 (not a profile)': 400,
      'a HEAD': 200,
    })
    for (const [what, response] of Object.entries(answers)) {
      expect({ what, ...securityHeaders(response) }).toEqual({ what, ...EXPECTED })
    }
  })

  it('are on downloads, which stay attachments', async () => {
    const { app } = await build()
    const run = await uploadRun(app, 'recursion-py3.11.prof')
    for (const url of [
      `/api/runs/${run.id}/file`,
      `/api/runs/${run.id}/files/0`,
      `/api/runs/${run.id}/export/csv`,
      `/api/runs/${run.id}/export/speedscope`,
      `/api/runs/${run.id}/profile`,
      '/profhub.py',
    ]) {
      const response = await app.inject(url)
      expect({ url, status: response.statusCode }).toEqual({ url, status: 200 })
      expect({ url, ...securityHeaders(response) }).toEqual({ url, ...EXPECTED })
      if (!url.endsWith('/profile')) {
        expect(response.headers['content-disposition']).toMatch(/^attachment; filename="/)
      }
    }
  })

  it('let FRAME_ANCESTORS name who may frame the pages', async () => {
    const { app } = await build({
      WEB_DIST: webDist,
      FRAME_ANCESTORS: ' http://localhost:8888  https://*.example.org ',
    })
    for (const url of ['/runs/AAAAAAAAAAAAAAAAAAAAAA', '/api/health', '/api/nothing-here']) {
      const response = await app.inject(url)
      expect(securityHeaders(response)).toEqual({
        ...EXPECTED,
        'content-security-policy': POLICY.replace(
          "frame-ancestors 'none'",
          'frame-ancestors http://localhost:8888 https://*.example.org',
        ),
        // DENY would forbid what the policy allows; browsers with CSP ignore it anyway.
        'x-frame-options': undefined,
      })
    }
  })

  it('refuse a FRAME_ANCESTORS that is not a list of origins', () => {
    for (const value of [
      'http://a.example; script-src *',
      'http://a.example,http://b.example',
      "'unsafe-inline'",
      '"http://a.example"',
    ]) {
      expect(() => parseConfig({ FRAME_ANCESTORS: value }), value).toThrow(
        /^FRAME_ANCESTORS must be space-separated origins such as http:\/\/localhost:8888/,
      )
    }
    for (const [value, parsed] of [
      ['', []],
      ["'none'", []],
      ["'self' https:", ["'self'", 'https:']],
      [
        'http://127.0.0.1:8888 http://[::1]:8888/lab',
        ['http://127.0.0.1:8888', 'http://[::1]:8888/lab'],
      ],
    ] as const) {
      expect(parseConfig({ FRAME_ANCESTORS: value }).frameAncestors).toEqual(parsed)
    }
  })

  it('let Swagger UI run at /api/docs: scripts from files only, inline styles allowed there', async () => {
    const { app } = await build()
    const page = await app.inject('/api/docs')
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expect(securityHeaders(page)).toEqual({ ...EXPECTED, 'content-security-policy': DOCS_POLICY })
    const scripts = [...page.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    expect(scripts.length).toBeGreaterThan(0)
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="/)
      expect(body!.trim()).toBe('')
    }
    const initializer = await app.inject('/api/docs/static/swagger-initializer.js')
    expect(initializer.statusCode).toBe(200)
    expect(securityHeaders(initializer)).toEqual({
      ...EXPECTED,
      'content-security-policy': DOCS_POLICY,
    })
    const json = await app.inject('/api/docs/json')
    expect(json.statusCode).toBe(200)
    expect(securityHeaders(json)).toEqual({ ...EXPECTED, 'content-security-policy': DOCS_POLICY })
  })
})
