import { fixturePath } from '@profhub/fixtures'
import { describe, expect, it } from 'vitest'
import { build, uploadForm } from '../helper.ts'

const FIXTURE = 'recursion-py3.11.prof'

describe('Host names', () => {
  it.each([
    'localhost',
    'localhost:80',
    'LOCALHOST:8080',
    '127.0.0.1:43117',
    '[::1]:8080',
    'localhost.',
  ])('answers %s', async (host) => {
    const { app } = await build()
    const response = await app.inject({ method: 'GET', url: '/api/health', headers: { host } })
    expect(response.statusCode).toBe(200)
  })

  it('refuses other names with 421 and a JSON error, on every path', async () => {
    const { app } = await build()
    for (const url of ['/api/health', '/api/runs', '/runs/abc', '/api/nothing', '/profhub.py']) {
      for (const host of [
        'evil.example',
        'evil.example:80',
        '127.0.0.2',
        'localhost.evil.example',
      ]) {
        const response = await app.inject({ method: 'GET', url, headers: { host } })
        expect(response.statusCode, `${host} ${url}`).toBe(421)
        expect(response.json()).toEqual({
          error: 'Unknown Host',
          message: expect.stringContaining('ALLOWED_HOSTS'),
        })
      }
    }
  })

  it('answers the address it listens on, and the names ALLOWED_HOSTS lists', async () => {
    const { app } = await build({
      HOST: '10.1.2.3',
      ALLOWED_HOSTS: 'profhub.example, Team.Example',
    })
    for (const host of ['10.1.2.3:8080', 'profhub.example', 'team.example:443', 'localhost']) {
      const response = await app.inject({ method: 'GET', url: '/api/health', headers: { host } })
      expect(response.statusCode, host).toBe(200)
    }
    const other = await app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { host: 'other.example' },
    })
    expect(other.statusCode).toBe(421)
  })

  it('does not answer the name 0.0.0.0 when it listens on every interface', async () => {
    const { app } = await build({ HOST: '0.0.0.0' })
    const response = await app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { host: '0.0.0.0:8080' },
    })
    expect(response.statusCode).toBe(421)
  })

  it('answers any name with ALLOWED_HOSTS=*', async () => {
    const { app } = await build({ ALLOWED_HOSTS: '*' })
    const response = await app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { host: 'anything.example:1234' },
    })
    expect(response.statusCode).toBe(200)
  })
})

describe('Origin', () => {
  it('refuses a state-changing request from a foreign origin with 403', async () => {
    const { app } = await build()
    for (const origin of ['http://evil.example', 'http://localhost:3000', 'null', 'garbage']) {
      const upload = await app.inject({
        method: 'POST',
        url: '/api/runs',
        headers: { origin },
        payload: uploadForm(fixturePath(FIXTURE)),
      })
      expect(upload.statusCode, origin).toBe(403)
      expect(upload.json()).toEqual({ error: 'Foreign Origin', message: expect.any(String) })
    }
    const id = 'AAAAAAAAAAAAAAAAAAAAAA'
    for (const method of ['PATCH', 'DELETE', 'PUT'] as const) {
      const response = await app.inject({
        method,
        url: `/api/runs/${id}`,
        headers: { origin: 'https://evil.example' },
        payload: { name: 'x' },
      })
      expect(response.statusCode, method).toBe(403)
    }
  })

  it("accepts the server's own origin, no origin, and reads from anywhere", async () => {
    const { app } = await build()
    // app.inject's Host is localhost:80; browsers leave the default port out of Origin.
    for (const headers of [
      { origin: 'http://localhost' },
      { origin: 'http://localhost:8080', host: 'localhost:8080' },
      { origin: 'https://localhost', host: 'localhost' },
      {},
    ]) {
      const upload = await app.inject({
        method: 'POST',
        url: '/api/runs',
        headers,
        payload: uploadForm(fixturePath(FIXTURE)),
      })
      expect(upload.statusCode, JSON.stringify(headers)).toBe(201)
    }
    const read = await app.inject({
      method: 'GET',
      url: '/api/runs',
      headers: { origin: 'https://evil.example' },
    })
    expect(read.statusCode).toBe(200)
  })

  it('accepts an origin ALLOWED_HOSTS names, for a proxy that rewrites Host', async () => {
    const { app } = await build({ ALLOWED_HOSTS: 'profhub.example' })
    const response = await app.inject({
      method: 'POST',
      url: '/api/runs',
      headers: { host: '127.0.0.1:8080', origin: 'https://profhub.example' },
      payload: uploadForm(fixturePath(FIXTURE)),
    })
    expect(response.statusCode).toBe(201)
  })
})

describe('upload rate limit', () => {
  /** An upload the limit counts and the server refuses at once (not multipart: 415). */
  const cheapUpload = (headers: Record<string, string> = {}, remoteAddress?: string) => ({
    method: 'POST' as const,
    url: '/api/runs',
    headers,
    payload: { not: 'a profile' },
    ...(remoteAddress ? { remoteAddress } : {}),
  })

  it('answers 429 with Retry-After past UPLOAD_RATE_LIMIT uploads a minute', async () => {
    const { app } = await build({ UPLOAD_RATE_LIMIT: '2' })
    for (let i = 0; i < 2; i++) {
      expect((await app.inject(cheapUpload())).statusCode).toBe(415)
    }
    const limited = await app.inject(cheapUpload())
    expect(limited.statusCode).toBe(429)
    expect(limited.json()).toEqual({
      error: 'Too Many Requests',
      message: expect.stringMatching(/^Too many uploads from this client: at most 2 a minute/),
    })
    const retryAfter = Number(limited.headers['retry-after'])
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(60)

    // Only uploads are limited, and each client has its own count.
    expect((await app.inject({ method: 'GET', url: '/api/runs' })).statusCode).toBe(200)
    expect((await app.inject(cheapUpload({}, '10.9.8.7'))).statusCode).toBe(415)
  })

  it('counts per token when AUTH_TOKEN is set, and only accepted tokens', async () => {
    const { app } = await build({ UPLOAD_RATE_LIMIT: '1', AUTH_TOKEN: 'token-a token-b' })
    // Refused for want of a token: not counted.
    expect((await app.inject(cheapUpload())).statusCode).toBe(401)
    expect((await app.inject(cheapUpload())).statusCode).toBe(401)
    expect((await app.inject(cheapUpload({ authorization: 'Bearer token-a' }))).statusCode).toBe(
      415,
    )
    expect((await app.inject(cheapUpload({ authorization: 'Bearer token-a' }))).statusCode).toBe(
      429,
    )
    expect((await app.inject(cheapUpload({ authorization: 'Bearer token-b' }))).statusCode).toBe(
      415,
    )
  })

  it('has no limit with UPLOAD_RATE_LIMIT=0, and 60 a minute by default', async () => {
    const { app } = await build({ UPLOAD_RATE_LIMIT: '0' })
    for (let i = 0; i < 70; i++) {
      expect((await app.inject(cheapUpload())).statusCode).toBe(415)
    }
    const { app: byDefault } = await build()
    for (let i = 0; i < 60; i++) {
      expect((await byDefault.inject(cheapUpload())).statusCode).toBe(415)
    }
    expect((await byDefault.inject(cheapUpload())).statusCode).toBe(429)
  })
})
