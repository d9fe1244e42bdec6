import { readFileSync } from 'node:fs'
import { fixturePath } from '@profhub/fixtures'
import { describe, expect, it } from 'vitest'
import { build, listDataFiles } from '../../../helper.ts'

const FIXTURE = 'recursion-py3.11.prof'

/** An upload of `files` (fixture names) with each of `labels` as a `label` field. */
function labelledForm(labels: string[], files = [FIXTURE], mode?: string): FormData {
  const form = new FormData()
  if (mode !== undefined) form.append('mode', mode)
  for (const label of labels) form.append('label', label)
  for (const file of files) form.append('file', new Blob([readFileSync(fixturePath(file))]), file)
  return form
}

describe('labels on POST /api/runs', () => {
  it('keeps KEY=VALUE labels with the run and returns them everywhere', async () => {
    const { app } = await build()
    const labels = [
      'branch=main',
      'ci:job/step.1-a_b=https://ci.example/1?x=y',
      'empty=',
      `long=${'é'.repeat(500)}`,
      '__proto__=not a prototype',
    ]
    const response = await app.inject({
      method: 'POST',
      url: '/api/runs',
      payload: labelledForm(labels),
    })

    expect(response.statusCode).toBe(201)
    const created = response.json()
    // In the order sent; JSON.parse makes `__proto__` an own property, as the server sent it.
    expect(Object.entries(created.labels)).toEqual([
      ['branch', 'main'],
      ['ci:job/step.1-a_b', 'https://ci.example/1?x=y'],
      ['empty', ''],
      ['long', 'é'.repeat(500)],
      ['__proto__', 'not a prototype'],
    ])
    const id: string = created.id
    const got = (await app.inject(`/api/runs/${id}`)).json()
    const listed = (await app.inject('/api/runs')).json().runs[0]
    const patched = (
      await app.inject({ method: 'PATCH', url: `/api/runs/${id}`, payload: { note: 'x' } })
    ).json()
    for (const run of [got, listed, patched]) expect(run.labels).toEqual(created.labels)
  })

  it('gives every run of a several-file upload the labels, merged or not', async () => {
    const { app } = await build()
    const files = [FIXTURE, 'shapes-py3.11.prof']
    const post = (mode: string) =>
      app.inject({ method: 'POST', url: '/api/runs', payload: labelledForm(['k=v'], files, mode) })

    const separate = (await post('separate')).json()
    const merged = (await post('merge')).json()

    expect(separate.runs.map((run: { labels: object }) => run.labels)).toEqual([
      { k: 'v' },
      { k: 'v' },
    ])
    expect(merged).toMatchObject({ sourceFormat: 'merged', labels: { k: 'v' } })
  })

  it('answers {} when there are none', async () => {
    const { app } = await build()
    const response = await app.inject({
      method: 'POST',
      url: '/api/runs',
      payload: labelledForm([]),
    })
    expect(response.json().labels).toEqual({})
  })

  it('takes 50 labels', async () => {
    const { app } = await build()
    const labels = Array.from({ length: 50 }, (_, i) => `key${i}=${i}`)
    const response = await app.inject({
      method: 'POST',
      url: '/api/runs',
      payload: labelledForm(labels),
    })
    expect(response.statusCode).toBe(201)
    expect(Object.keys(response.json().labels)).toHaveLength(50)
  })

  it.each([
    ['no "="', ['branch'], /The label "branch" has no "="/],
    ['an empty key', ['=v'], /The label key "" is not valid/],
    ['a space in the key', ['my key=v'], /The label key "my key" is not valid/],
    ['a key of 65 characters', [`${'k'.repeat(65)}=v`], /is not valid: use 1 to 64/],
    ['a non-ASCII key', ['clé=v'], /The label key "clé" is not valid/],
    ['a value of 501 characters', [`k=${'x'.repeat(501)}`], /at most 500 characters/],
    ['a repeated key', ['k=1', 'k=2'], /The label "k" is given twice/],
    ['51 labels', Array.from({ length: 51 }, (_, i) => `k${i}=v`), /at most 50 labels/],
    ['a label too long to read', [`k=${'x'.repeat(5000)}`], /A label is too long/],
  ])('answers 400 to %s and stores nothing', async (_case, labels, message) => {
    const { app, dataDir } = await build()
    const response = await app.inject({
      method: 'POST',
      url: '/api/runs',
      payload: labelledForm(labels),
    })

    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({
      error: 'Bad Request',
      message: expect.stringMatching(message),
    })
    expect(await listDataFiles(dataDir)).toEqual([])
  })
})

describe('GET /api/runs?label=KEY=VALUE', () => {
  it('keeps the runs that have every label asked for', async () => {
    const { app } = await build()
    const post = async (labels: string[]) =>
      (await app.inject({ method: 'POST', url: '/api/runs', payload: labelledForm(labels) })).json()
        .id as string
    const main = await post(['branch=main', 'python=3.11'])
    const other = await post(['branch=main', 'python=3.13'])
    await post(['branch=feature', 'python=3.11'])
    await post([])
    const list = async (query: string) =>
      (await app.inject(`/api/runs?${query}`)).json().runs.map((run: { id: string }) => run.id)

    expect(await list('label=branch=main')).toEqual([other, main])
    expect(await list('label=branch=main&label=python=3.11')).toEqual([main])
    expect(await list('label=branch=nope')).toEqual([])
    // Split at the first "=": the value may hold more.
    const eq = await post(['expr=a=b'])
    expect(await list(`label=${encodeURIComponent('expr=a=b')}`)).toEqual([eq])
    // A page of a filtered list goes on with the same filter only.
    const page = (await app.inject('/api/runs?label=branch=main&limit=1')).json()
    expect(page.runs.map((run: { id: string }) => run.id)).toEqual([other])
    const next = `label=branch=main&limit=1&cursor=${page.nextCursor}`
    expect(await list(next)).toEqual([main])
    const mixed = await app.inject(`/api/runs?limit=1&cursor=${page.nextCursor}`)
    expect(mixed.statusCode).toBe(400)
  })

  it.each([
    ['label=branch', /The label "branch" has no "="/],
    ['label=bad%20key=v', /The label key "bad key" is not valid/],
  ])('answers 400 to %s', async (query, message) => {
    const { app } = await build()
    const response = await app.inject(`/api/runs?${query}`)
    expect(response.statusCode).toBe(400)
    expect(response.json().message).toMatch(message)
  })
})
