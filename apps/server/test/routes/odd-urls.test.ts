import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../helper.ts'
import { getRaw, listenOnFreePort, type RawResponse, sendRaw } from './raw-http.ts'

// Request lines as clients may send them, written to a socket byte for byte: fetch, undici and
// app.inject would normalise `..` and refuse a malformed `%` before the server saw them.

const SECRET = 'secret-outside-the-web-build'
const SPA = '<!doctype html><title>profhub</title>\n'

// root/web is the web build; root/package.json and root/secret.txt are next to it, outside.
let root: string
let webDist: string
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'profhub-urls-'))
  webDist = path.join(root, 'web')
  await mkdir(path.join(webDist, 'assets'), { recursive: true })
  await writeFile(path.join(webDist, 'index.html'), SPA)
  await writeFile(path.join(webDist, 'assets', 'index-x.js'), 'export {}\n')
  await writeFile(path.join(root, 'package.json'), `{"name": "${SECRET}"}\n`)
  await writeFile(path.join(root, 'secret.txt'), `${SECRET}\n`)
})
afterAll(() => rm(root, { recursive: true, force: true }))

async function startApp() {
  const { app } = await build({ WEB_DIST: webDist })
  return listenOnFreePort(app)
}

const SECURITY_HEADERS = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'referrer-policy',
  'x-content-type-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
]

function securityHeaders(response: RawResponse) {
  return Object.fromEntries(SECURITY_HEADERS.map((name) => [name, response.headers[name]]))
}

/** What the answer is, in a form that compares across requests. */
function answer(response: RawResponse) {
  const json = response.headers['content-type']?.startsWith('application/json')
  return { status: response.status, body: json ? JSON.parse(response.body) : response.body }
}

describe('a malformed URL', () => {
  it.each([
    ['/%zz'],
    ['/api/runs/%zz'],
    ['/api/runs/%zz/stats'],
    ['/runs/%'],
    ['/%ff'],
    ['/api/runs/%C0%AF'],
    ['/assets/%E0%A4%A.js'],
  ])('%s is a 400 {error, message} with the headers every answer carries', async (url) => {
    const port = await startApp()
    const reference = await getRaw(port, '/api/nothing-here')
    expect(reference.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/)

    const response = await getRaw(port, url)
    expect(answer(response)).toEqual({
      status: 400,
      body: {
        error: 'Bad Request',
        message: expect.stringMatching(/^This address is not a valid URL: a "%" must start/),
      },
    })
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(securityHeaders(response)).toEqual(securityHeaders(reference))
  })

  it('is a 400 without a body to a HEAD', async () => {
    const port = await startApp()
    const response = await sendRaw(
      port,
      `HEAD /%zz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
    )
    expect(response.status).toBe(400)
    expect(response.body).toBe('')
    expect(response.headers['x-content-type-options']).toBe('nosniff')
  })
})

describe('a path that climbs out of its folder', () => {
  const API_404 = {
    status: 404,
    body: { error: 'Not Found', message: 'There is no such API endpoint: /api/docs lists them.' },
  }
  const FILE_404 = {
    status: 404,
    body: { error: 'Not Found', message: 'There is nothing at this address.' },
  }
  const PAGE = { status: 200, body: SPA }

  it.each([
    ['/api/runs/../../etc/passwd', API_404],
    ['/api/runs/../../../../../../etc/passwd', API_404],
    ['/api/../package.json', API_404],
    ['/api/runs/x/../../../secret.txt', API_404],
    ['/api/docs/../../../package.json', API_404],
    ['/static/../../package.json', FILE_404],
    ['/assets/../../package.json', FILE_404],
    ['/../package.json', FILE_404],
    ['/../secret.txt', FILE_404],
    ['/%2e%2e/package.json', FILE_404],
    ['/assets/%2e%2e/%2e%2e/package.json', FILE_404],
    ['/assets/..%2f..%2fpackage.json', FILE_404],
    ['/assets/..%5c..%5cpackage.json', FILE_404],
    ['/assets//index-x.js', FILE_404],
    ['/./index.html', FILE_404],
    // Page paths (no file extension) get the web app, as /runs/<unknown id> does.
    ['/..%2f..%2fetc/passwd', PAGE],
    ['/runs/../../../etc/passwd', PAGE],
    ['/..', PAGE],
  ])('%s is answered as any unknown address is, never with a file', async (url, expected) => {
    const port = await startApp()
    const response = await getRaw(port, url)
    expect(answer(response)).toEqual(expected)
    expect(response.body).not.toContain(SECRET)
    expect(response.body).not.toContain('root:')
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    expect(response.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/)
  })

  it('leaves the files of the web build where they are', async () => {
    const port = await startApp()
    expect(answer(await getRaw(port, '/assets/index-x.js'))).toEqual({
      status: 200,
      body: 'export {}\n',
    })
    expect(answer(await getRaw(port, '/runs/AAAAAAAAAAAAAAAAAAAAAA'))).toEqual(PAGE)
    expect(answer(await getRaw(port, '/nothing.json'))).toEqual(FILE_404)
  })
})
