import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fixturePath } from '@profhub/fixtures'
import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/plugins/app/config.ts'
import { build, uploadForm } from '../helper.ts'

const TOKEN = 'team-token-0123456789'
const OTHER_TOKEN = 'second-token-abcdefgh'
const FIXTURE = 'recursion-py3.11.prof'
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/** Uploads a fixture with a token; the created run's id. */
async function seed(app: Awaited<ReturnType<typeof build>>['app'], token = TOKEN) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/runs',
    headers: bearer(token),
    payload: uploadForm(fixturePath(FIXTURE)),
  })
  expect(response.statusCode, response.body).toBe(201)
  return (response.json() as { id: string }).id
}

function expectTokenError(response: { statusCode: number; headers: object; json(): unknown }) {
  expect(response.statusCode).toBe(401)
  const body = response.json() as { error: string; message: string }
  expect(Object.keys(body).sort()).toEqual(['error', 'message'])
  expect(body.message).toContain('--token')
  expect(body.message).toContain('PROFHUB_TOKEN')
  expect(body.message).toContain('web app')
  expect(response.headers).toHaveProperty('www-authenticate')
  return body
}

describe('AUTH_TOKEN', () => {
  it('asks for the token to upload, list, rename and delete', async () => {
    const { app } = await build({ AUTH_TOKEN: TOKEN })
    const id = await seed(app)

    const refused = [
      await app.inject({
        method: 'POST',
        url: '/api/runs',
        payload: uploadForm(fixturePath(FIXTURE)),
      }),
      await app.inject({ method: 'GET', url: '/api/runs' }),
      await app.inject({ method: 'GET', url: '/api/runs?limit=1' }),
      // Another spelling of the list's path is the same route, and as closed.
      await app.inject({ method: 'GET', url: '/api/%72uns' }),
      await app.inject({ method: 'PATCH', url: `/api/runs/${id}`, payload: { name: 'x' } }),
      await app.inject({ method: 'DELETE', url: `/api/runs/${id}` }),
    ]
    for (const response of refused) {
      const body = expectTokenError(response)
      expect(body).toEqual({ error: 'Token Required', message: expect.any(String) })
      expect(response.headers['www-authenticate']).toBe('Bearer realm="profhub"')
    }

    const list = await app.inject({ method: 'GET', url: '/api/runs', headers: bearer(TOKEN) })
    expect(list.statusCode).toBe(200)
    expect((list.json() as { runs: { id: string }[] }).runs.map((run) => run.id)).toEqual([id])
    const renamed = await app.inject({
      method: 'PATCH',
      url: `/api/runs/${id}`,
      headers: bearer(TOKEN),
      payload: { name: 'renamed' },
    })
    expect(renamed.statusCode).toBe(200)
    expect((renamed.json() as { name: string }).name).toBe('renamed')
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/runs/${id}`,
      headers: bearer(TOKEN),
    })
    expect(deleted.statusCode).toBe(204)
  })

  it("opens a run's own URLs with its id alone, even with a wrong token", async () => {
    const { app } = await build({ AUTH_TOKEN: TOKEN })
    const id = await seed(app)
    const urls = [
      `/api/runs/${id}`,
      `/api/runs/${id}/stats`,
      `/api/runs/${id}/profile`,
      `/api/runs/${id}/tree`,
      `/api/runs/${id}/file`,
      `/api/runs/${id}/files/0`,
      `/api/runs/${id}/export/csv`,
      `/api/runs/${id}/export/prof`,
      '/api/health',
      '/api/docs/json',
      '/profhub.py',
    ]
    for (const url of urls) {
      for (const headers of [{}, bearer('wrong-token')]) {
        const response = await app.inject({ method: 'GET', url, headers })
        expect(response.statusCode, `${url} ${JSON.stringify(headers)}`).toBe(200)
      }
    }
    // The page: the tests have no web build, so the app's "not built" answer, not a 401.
    const page = await app.inject({ method: 'GET', url: `/runs/${id}` })
    expect(page.statusCode).toBe(503)
  })

  it('refuses a wrong token with 401 and says so', async () => {
    const { app } = await build({ AUTH_TOKEN: TOKEN })
    for (const authorization of [`Bearer ${TOKEN}x`, 'Bearer x', `Basic ${TOKEN}`, TOKEN]) {
      const response = await app.inject({
        method: 'GET',
        url: '/api/runs',
        headers: { authorization },
      })
      const body = expectTokenError(response)
      expect(body.error).toBe('Token Refused')
      expect(body.message).toMatch(/^The access token was not accepted/)
      expect(response.headers['www-authenticate']).toBe(
        'Bearer realm="profhub", error="invalid_token"',
      )
    }
    // The scheme is case-insensitive.
    const lower = await app.inject({
      method: 'GET',
      url: '/api/runs',
      headers: { authorization: `bearer ${TOKEN}` },
    })
    expect(lower.statusCode).toBe(200)
  })

  it('takes several tokens, separated by commas or white space', async () => {
    const { app } = await build({ AUTH_TOKEN: ` ${TOKEN},${OTHER_TOKEN}\n third-token ` })
    for (const token of [TOKEN, OTHER_TOKEN, 'third-token']) {
      const response = await app.inject({ method: 'GET', url: '/api/runs', headers: bearer(token) })
      expect(response.statusCode, token).toBe(200)
    }
    const joined = await app.inject({
      method: 'GET',
      url: '/api/runs',
      headers: bearer(`${TOKEN},${OTHER_TOKEN}`),
    })
    expect(joined.statusCode).toBe(401)
  })

  it('reads tokens from AUTH_TOKEN_FILE, one a line, with # comments', async () => {
    const { app, dataDir } = await build()
    const file = path.join(dataDir, 'tokens.txt')
    await writeFile(file, `# the team\n${TOKEN}  # alice\n\n   ${OTHER_TOKEN}\n#${TOKEN}-old\n`)
    const { app: guarded } = await build({ AUTH_TOKEN_FILE: file })
    await app.close()
    for (const token of [TOKEN, OTHER_TOKEN]) {
      const ok = await guarded.inject({ method: 'GET', url: '/api/runs', headers: bearer(token) })
      expect(ok.statusCode, token).toBe(200)
    }
    for (const token of [`${TOKEN}-old`, '#', 'alice', '# alice']) {
      const refused = await guarded.inject({
        method: 'GET',
        url: '/api/runs',
        headers: bearer(token),
      })
      expect(refused.statusCode, token).toBe(401)
    }
  })

  it('will not start open when a token setting names no token', async () => {
    const { dataDir } = await build()
    const empty = path.join(dataDir, 'empty.txt')
    await writeFile(empty, '# nobody yet\n\n')
    expect(() => parseConfig({ AUTH_TOKEN_FILE: empty })).toThrow(/holds no token/)
    expect(() => parseConfig({ AUTH_TOKEN_FILE: path.join(dataDir, 'missing') })).toThrow(
      /cannot be read \(ENOENT\)/,
    )
    expect(() => parseConfig({ AUTH_TOKEN: ' , ' })).toThrow(/holds no token/)
    expect(() => parseConfig({ AUTH_TOKEN: 'tøken' })).toThrow(/printable ASCII/)
    expect(parseConfig({}).authTokens).toEqual([])
  })

  it('asks for nothing without AUTH_TOKEN', async () => {
    const { app } = await build()
    const upload = await app.inject({
      method: 'POST',
      url: '/api/runs',
      payload: uploadForm(fixturePath(FIXTURE)),
    })
    expect(upload.statusCode).toBe(201)
    const { id } = upload.json() as { id: string }
    expect((await app.inject({ method: 'GET', url: '/api/runs' })).statusCode).toBe(200)
    const deleted = await app.inject({ method: 'DELETE', url: `/api/runs/${id}` })
    expect(deleted.statusCode).toBe(204)
  })
})
