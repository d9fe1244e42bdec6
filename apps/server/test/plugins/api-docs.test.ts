import { describe, expect, it } from 'vitest'
import { build } from '../helper.ts'

// Every endpoint of the contract and of the README's additions: the OpenAPI document is
// generated from the routes, so an endpoint missing here is a route missing or hidden.
const ENDPOINTS = [
  'GET /api/health',
  'POST /api/runs',
  'GET /api/runs',
  'GET /api/runs/{id}',
  'PATCH /api/runs/{id}',
  'DELETE /api/runs/{id}',
  'GET /api/runs/{id}/stats',
  'GET /api/runs/{id}/profile',
  'GET /api/runs/{id}/tree',
  'GET /api/runs/{id}/file',
  'GET /api/runs/{id}/files/{index}',
  'GET /api/runs/{id}/export/{format}',
  'GET /api/runs/{id}/memory',
  'GET /api/runs/{id}/source',
  'GET /api/series',
  'GET /api/series/function',
  'GET /api/series/changes',
  'GET /profhub.py',
]

interface OpenApiDocument {
  openapi: string
  paths: Record<
    string,
    Record<string, { parameters?: { name: string; in: string }[]; responses: object }>
  >
}

describe('API docs', () => {
  it('lists every endpoint in an OpenAPI document at /api/docs/json', async () => {
    const { app } = await build()
    const response = await app.inject('/api/docs/json')
    expect(response.statusCode).toBe(200)
    const document = response.json() as OpenApiDocument
    expect(document.openapi).toMatch(/^3\./)
    const listed = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    )
    expect(listed.sort()).toEqual([...ENDPOINTS].sort())
    // Parameters come from the routes' schemas: the stats query is documented, not guessed.
    const stats = document.paths['/api/runs/{id}/stats']!.get!
    expect(stats.parameters?.map((p) => `${p.in}:${p.name}`).sort()).toEqual(
      ['path:id', 'query:filter', 'query:limit', 'query:sort'].sort(),
    )
    // Errors share one shape, documented on every operation.
    for (const methods of Object.values(document.paths)) {
      for (const operation of Object.values(methods)) {
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['4XX', '5XX']))
      }
    }
    // The upload's multipart body is described although it is not validated by a schema.
    const upload = JSON.stringify(document.paths['/api/runs']!.post)
    expect(upload).toContain('multipart/form-data')
    for (const part of ['"memory"', '"source"', '"environment"']) expect(upload).toContain(part)
    const source = document.paths['/api/runs/{id}/source']!.get!
    expect(source.parameters?.map((p) => `${p.in}:${p.name}`).sort()).toEqual([
      'path:id',
      'query:file',
    ])
    const list = document.paths['/api/runs']!.get!
    expect(list.parameters?.map((p) => p.name)).toContain('label')
    const history = document.paths['/api/series/function']!.get!
    expect(history.parameters?.map((p) => `${p.in}:${p.name}`).sort()).toEqual(
      ['query:file', 'query:label', 'query:limit', 'query:line', 'query:name'].sort(),
    )
  })

  it('serves a browsable page at /api/docs', async () => {
    const { app } = await build()
    const page = await app.inject('/api/docs')
    // Swagger UI answers its root with a redirect to its static page, or the page itself.
    const html = page.statusCode === 302 ? await app.inject(page.headers.location!) : page
    expect(html.statusCode).toBe(200)
    expect(html.headers['content-type']).toMatch(/text\/html/)
    expect(html.body).toContain('swagger')
  })
})
