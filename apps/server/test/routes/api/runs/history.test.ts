import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { build, uploadRun } from '../../../helper.ts'

interface Listed {
  id: string
  name: string
  createdAt: string
  note: string
  summary: { totalTime: number }
}

/** Every page of `GET /api/runs?<query>` followed to the end, `limit` runs at a time. */
async function listAll(app: FastifyInstance, query: string, limit = 2): Promise<Listed[]> {
  const runs: Listed[] = []
  let cursor: string | null = null
  do {
    const url: string = `/api/runs?limit=${limit}&${query}${cursor ? `&cursor=${cursor}` : ''}`
    const response = await app.inject(url)
    expect(response.statusCode, url).toBe(200)
    const page = response.json() as { runs: Listed[]; nextCursor: string | null }
    runs.push(...page.runs)
    cursor = page.nextCursor
  } while (cursor !== null)
  return runs
}

/** Five runs with known names and total times (recursion < shapes < sorting < rules). */
async function seed(app: FastifyInstance) {
  const runs = []
  for (const [fixture, name] of [
    ['shapes-py3.11.prof', 'nightly Build 2'],
    ['rules_cache1000.prof', 'alpha'],
    ['recursion-py3.11.prof', 'Nightly build 1'],
    ['sorting-py3.11.prof', 'zeta <b>'],
    ['recursion-py3.11.prof', 'Alpha'],
  ] as const) {
    runs.push(await uploadRun(app, fixture, name))
  }
  return runs
}

describe('GET /api/runs: search and sort', () => {
  it('sorts by created (default: newest first), name (default A→Z) or total time (largest first)', async () => {
    const { app } = await build()
    const runs = await seed(app)
    const names = async (query: string) => (await listAll(app, query)).map((run) => run.name)

    const newestFirst = runs.map((run) => run.name).toReversed()
    expect(await names('')).toEqual(newestFirst)
    expect(await names('sort=created')).toEqual(newestFirst)
    expect(await names('sort=created&order=asc')).toEqual(newestFirst.toReversed())
    // Case-insensitive; equal names (alpha, Alpha) in id order, either way.
    const byName = await listAll(app, 'sort=name')
    expect(byName.map((run) => run.name.toLowerCase())).toEqual([
      'alpha',
      'alpha',
      'nightly build 1',
      'nightly build 2',
      'zeta <b>',
    ])
    expect((await listAll(app, 'sort=name&order=desc')).map((run) => run.id)).toEqual(
      byName.map((run) => run.id).toReversed(),
    )
    const byTime = await listAll(app, 'sort=totalTime')
    const times = byTime.map((run) => run.summary.totalTime)
    expect(times).toEqual(times.toSorted((a, b) => b - a))
    expect(byTime[0]!.name).toBe('alpha')
    expect((await listAll(app, 'sort=totalTime&order=asc')).map((run) => run.id)).toEqual(
      byTime.map((run) => run.id).toReversed(),
    )
  })

  it('pages every sort without losing or repeating a run', async () => {
    const { app } = await build()
    const runs = await seed(app)
    for (const query of ['sort=name', 'sort=totalTime&order=asc', 'sort=created&order=asc']) {
      for (const limit of [1, 2, 3]) {
        const ids = (await listAll(app, query, limit)).map((run) => run.id)
        expect(ids.toSorted(), `${query} limit=${limit}`).toEqual(runs.map((r) => r.id).toSorted())
      }
    }
  })

  it('filters by a case-insensitive substring of the name, with any sort', async () => {
    const { app } = await build()
    await seed(app)
    const names = async (query: string) => (await listAll(app, query, 1)).map((run) => run.name)

    expect(await names('q=NIGHTLY')).toEqual(['Nightly build 1', 'nightly Build 2'])
    expect(await names('q=nightly&sort=name')).toEqual(['Nightly build 1', 'nightly Build 2'])
    expect(await names(`q=${encodeURIComponent('<b>')}`)).toEqual(['zeta <b>'])
    expect(await names('q=%25')).toEqual([])
    expect(await names('q=_')).toEqual([])
    expect(await names('q=')).toHaveLength(5)
  })

  it('refuses a cursor from another sort, order or search', async () => {
    const { app } = await build()
    await seed(app)
    const first = (await app.inject('/api/runs?limit=1&q=a&sort=name')).json()
    expect(first.nextCursor).toEqual(expect.any(String))

    for (const query of ['q=a&sort=name&order=desc', 'q=b&sort=name', 'q=a', 'sort=name']) {
      const response = await app.inject(`/api/runs?limit=1&${query}&cursor=${first.nextCursor}`)
      expect(response.statusCode, query).toBe(400)
      expect(response.json().message).toMatch(/another listing/)
    }
    const same = await app.inject(
      `/api/runs?limit=1&q=a&sort=name&order=asc&cursor=${first.nextCursor}`,
    )
    expect(same.statusCode).toBe(200)
  })

  it.each([['sort=size'], ['sort=NAME'], ['order=up'], [`q=${'x'.repeat(1001)}`]])(
    'answers 400 to %s',
    async (query) => {
      const { app } = await build()
      const response = await app.inject(`/api/runs?${query}`)

      expect(response.statusCode).toBe(400)
      expect(response.json()).toEqual({ error: 'Bad Request', message: expect.any(String) })
    },
  )
})

describe('PATCH /api/runs/:id: notes', () => {
  it('sets a note (untrusted text, kept as sent), shown by the run and the list', async () => {
    const { app } = await build()
    const { id } = await uploadRun(app, 'recursion-py3.11.prof')
    const note = '  <script>alert(1)</script>\nline two \u202e🔥\t\u0000 '
    const patch = (payload: object) =>
      app.inject({ method: 'PATCH', url: `/api/runs/${id}`, payload })

    expect((await app.inject(`/api/runs/${id}`)).json().note).toBe('')
    const response = await patch({ note })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ id, name: 'recursion-py3.11.prof', note })
    expect((await app.inject(`/api/runs/${id}`)).json().note).toBe(note)
    expect((await app.inject('/api/runs')).json().runs[0].note).toBe(note)

    const both = await patch({ name: ' renamed ', note: '' })
    expect(both.json()).toMatchObject({ name: 'renamed', note: '' })
    expect((await patch({ name: 'only the name' })).json()).toMatchObject({ note: '' })
  })

  it('takes 10,000 characters, counted as characters, and no more', async () => {
    const { app } = await build()
    const { id } = await uploadRun(app, 'recursion-py3.11.prof')
    const patch = (payload: object) =>
      app.inject({ method: 'PATCH', url: `/api/runs/${id}`, payload })

    expect((await patch({ note: '🔥'.repeat(10_000) })).statusCode).toBe(200)
    // Every character escaped in the JSON body: still within the request limit.
    const escaped = `{"note":"${'\\u0001'.repeat(10_000)}"}`
    const response = await app.inject({
      method: 'PATCH',
      url: `/api/runs/${id}`,
      headers: { 'content-type': 'application/json' },
      payload: escaped,
    })
    expect(response.statusCode).toBe(200)
    expect(response.json().note).toBe('\u0001'.repeat(10_000))

    for (const note of ['x'.repeat(10_001), '🔥'.repeat(10_001)]) {
      const tooLong = await patch({ note })
      expect(tooLong.statusCode).toBe(400)
      expect(tooLong.json().message).toMatch(/10000 characters/)
    }
    expect((await app.inject(`/api/runs/${id}`)).json().note).toBe('\u0001'.repeat(10_000))
  })

  it.each([
    ['an empty object', {}, /"name", a "note" or both/],
    ['a number', { note: 42 }, /note/],
    ['null', { note: null }, /note/],
    ['an extra field', { note: 'x', pinned: true }, /"pinned" is not allowed/],
    ['an empty name beside a note', { name: ' ', note: 'x' }, /name must not be empty/],
  ])('answers 400 to %s and changes nothing', async (_label, payload, message) => {
    const { app } = await build()
    const { id } = await uploadRun(app, 'recursion-py3.11.prof')
    const response = await app.inject({ method: 'PATCH', url: `/api/runs/${id}`, payload })

    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({
      error: 'Bad Request',
      message: expect.stringMatching(message),
    })
    expect((await app.inject(`/api/runs/${id}`)).json()).toMatchObject({
      name: 'recursion-py3.11.prof',
      note: '',
    })
  })

  it('keeps notes across a restart', async () => {
    const first = await build()
    const { id } = await uploadRun(first.app, 'recursion-py3.11.prof')
    await first.app.inject({ method: 'PATCH', url: `/api/runs/${id}`, payload: { note: 'kept' } })
    await first.app.close()

    const { app } = await build({}, first.dataDir)
    expect((await app.inject(`/api/runs/${id}`)).json().note).toBe('kept')
  })
})
