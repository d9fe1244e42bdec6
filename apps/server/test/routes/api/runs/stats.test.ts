import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { readSummary } from '@profhub/fixtures'
import type { StatRow } from '@profhub/profile'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { build, uploadRun } from '../../../helper.ts'

const FIXTURE = 'recursion-py3.11.prof'
const FUNCTION_COUNT = readSummary(FIXTURE).functionCount

async function stats(app: FastifyInstance, id: string, query: string): Promise<StatRow[]> {
  const response = await app.inject(`/api/runs/${id}/stats?${query}`)
  expect(response.statusCode, response.body).toBe(200)
  return response.json().rows
}

async function setUp() {
  const { app } = await build()
  const { id } = await uploadRun(app, FIXTURE)
  return { app, id }
}

// Written out here rather than imported, so the test does not trust the code it tests.
function byKey(a: StatRow, b: StatRow): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1
  if (a.line !== b.line) return a.line - b.line
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}

describe('GET /api/runs/:id/stats', () => {
  it('sorts by cumtime by default, exactly as pstats ranks the top rows', async () => {
    const { app, id } = await setUp()
    const rows = await stats(app, id, '')

    expect(rows).toHaveLength(100)
    expect(rows.slice(0, 30)).toEqual(readSummary(FIXTURE).topCumulative)
    expect(await stats(app, id, 'sort=tottime&limit=30')).toEqual(readSummary(FIXTURE).topTottime)
  })

  it.each([
    ['cumtime', (a: StatRow, b: StatRow) => b.cumtime - a.cumtime],
    ['tottime', (a: StatRow, b: StatRow) => b.tottime - a.tottime],
    ['ncalls', (a: StatRow, b: StatRow) => b.ncalls - a.ncalls],
    ['name', (a: StatRow, b: StatRow) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)],
    [
      'file',
      (a: StatRow, b: StatRow) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line),
    ],
  ])('sorts by %s, ties by file, line, name', async (sort, compare) => {
    const { app, id } = await setUp()
    const rows = await stats(app, id, `sort=${sort}&limit=${FUNCTION_COUNT}`)

    expect(rows).toHaveLength(FUNCTION_COUNT)
    const expected = rows.toSorted((a, b) => compare(a, b) || byKey(a, b))
    expect(rows).toEqual(expected)
  })

  it('breaks ties: many functions are called exactly once', async () => {
    const { app, id } = await setUp()
    const rows = await stats(app, id, `sort=ncalls&limit=${FUNCTION_COUNT}`)
    const once = rows.filter((row) => row.ncalls === 1)

    expect(once.length).toBeGreaterThan(5)
    expect(once).toEqual(once.toSorted(byKey))
  })

  it('returns every row for limit = functionCount or more, and a prefix for less', async () => {
    const { app, id } = await setUp()
    const all = await stats(app, id, `limit=${FUNCTION_COUNT}`)

    expect(all).toHaveLength(FUNCTION_COUNT)
    expect(await stats(app, id, `limit=${FUNCTION_COUNT + 1000}`)).toEqual(all)
    expect(await stats(app, id, 'limit=7')).toEqual(all.slice(0, 7))
    expect(await stats(app, id, 'limit=1')).toEqual(all.slice(0, 1))
  })

  it('filters on name or file, ignoring case', async () => {
    const { app, id } = await setUp()
    const all = await stats(app, id, `limit=${FUNCTION_COUNT}`)

    const byName = await stats(app, id, `filter=FIB&limit=${FUNCTION_COUNT}`)
    expect(byName.map((row) => row.name)).toContain('fib')
    expect(byName).toEqual(
      all.filter((row) => `${row.name}\n${row.file}`.toLowerCase().includes('fib')),
    )

    const byFile = await stats(app, id, `filter=${encodeURIComponent('/OPT/APP/')}&limit=1000`)
    expect(byFile.length).toBeGreaterThan(5)
    expect(byFile).toEqual(all.filter((row) => row.file.startsWith('/opt/app/')))

    const builtins = await stats(app, id, `filter=${encodeURIComponent('<built-in')}&sort=name`)
    expect(builtins.every((row) => row.file === '~')).toBe(true)

    expect(await stats(app, id, 'filter=no-such-function-anywhere')).toEqual([])
  })

  it('answers a big page (written a piece at a time) as it answers a small one', async () => {
    const big = 'realworld-unittest-py3.11.prof'
    const { functionCount, totalCalls } = readSummary(big)
    expect(functionCount).toBeGreaterThan(2000)
    const { app } = await build()
    const { id } = await uploadRun(app, big)

    for (const query of ['sort=tottime', 'sort=name&filter=TEST', 'sort=file&filter=%3Cbuilt-in']) {
      const response = await app.inject(`/api/runs/${id}/stats?${query}&limit=${functionCount}`)
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
      const { rows } = response.json() as { rows: StatRow[] }
      // A small page comes from the schema's serializer: the big one starts with the same text.
      const small = await app.inject(`/api/runs/${id}/stats?${query}&limit=20`)
      expect(response.body.startsWith(small.body.slice(0, -2)), query).toBe(true)
      expect(rows.slice(0, 20)).toEqual(small.json().rows)
      expect(response.body).toBe(JSON.stringify({ rows }))
    }
    const all = await app.inject({
      url: `/api/runs/${id}/stats?limit=${functionCount}`,
      headers: { 'accept-encoding': 'br' },
    })
    expect(all.headers['content-encoding']).toBe('br')
    const { rows } = JSON.parse(brotliDecompressSync(all.rawPayload).toString('utf8')) as {
      rows: StatRow[]
    }
    expect(rows).toHaveLength(functionCount)
    expect(rows.reduce((sum, row) => sum + row.ncalls, 0)).toBe(totalCalls)

    // A client that takes only gzip (Node's fetch, curl --compressed) gets the same rows.
    const gzip = await app.inject({
      url: `/api/runs/${id}/stats?limit=${functionCount}`,
      headers: { 'accept-encoding': 'gzip, deflate' },
    })
    expect(gzip.headers['content-encoding']).toBe('gzip')
    expect(gzip.headers.vary).toMatch(/accept-encoding/i)
    expect(JSON.parse(gunzipSync(gzip.rawPayload).toString('utf8'))).toEqual({ rows })
  })

  it.each([
    ['limit=0', /"limit" must be >= 1/],
    ['limit=-1', /"limit" must be >= 1/],
    ['limit=1.5', /"limit" must be integer/],
    ['limit=abc', /"limit" must be integer/],
    ['sort=percall', /"sort" must be one of: cumtime, tottime, ncalls, name, file/],
    ['sort=CUMTIME', /"sort" must be one of/],
  ])('answers 400 to %s', async (query, message) => {
    const { app, id } = await setUp()
    const response = await app.inject(`/api/runs/${id}/stats?${query}`)

    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({
      error: 'Bad Request',
      message: expect.stringMatching(message),
    })
  })
})
