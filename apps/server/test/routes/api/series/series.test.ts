import type { FastifyInstance } from 'fastify'
import { makeSeriesProfiles, type SeriesCommit } from '@profhub/fixtures'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Series, SeriesChanges, SeriesFunction } from '@profhub/api'
import { build, uploadRun } from '../../../helper.ts'

// A series made the way CI makes one: one real profile of one program per commit, labelled
// with the project, the commit and its time; `parse_rule` got three times slower at commit 8.
const COUNT = 12
const SLOW_FROM = 8
let commits: SeriesCommit[]
beforeAll(async () => {
  commits = await makeSeriesProfiles(COUNT, SLOW_FROM)
}, 120_000)

const PROJECT = 'project=series-app'

async function uploadSeries(app: FastifyInstance, order: readonly SeriesCommit[] = commits) {
  const ids = new Map<number, string>()
  for (const commit of order) {
    const form = new FormData()
    form.append('file', new Blob([new Uint8Array(commit.prof)]), `run-${commit.index}.prof`)
    for (const label of [
      PROJECT,
      `commit=${commit.commit}`,
      `commit-time=${commit.commitTime}`,
      'branch=main',
    ]) {
      form.append('label', label)
    }
    const response = await app.inject({ method: 'POST', url: '/api/runs', payload: form })
    expect(response.statusCode, response.body).toBe(201)
    ids.set(commit.index, (response.json() as { id: string }).id)
  }
  return ids
}

async function get<T>(app: FastifyInstance, url: string): Promise<T> {
  const response = await app.inject({ method: 'GET', url })
  expect(response.statusCode, response.body).toBe(200)
  return response.json() as T
}

const q = encodeURIComponent

describe('GET /api/series', () => {
  it('lists the runs with the label in commit order, whatever the upload order', async () => {
    const { app } = await build()
    // Uploaded out of order (CI jobs finish in any order); another project's run is left out.
    const shuffled = [...commits.slice(6), ...commits.slice(0, 6)]
    const ids = await uploadSeries(app, shuffled)
    await uploadRun(app, 'jsondoc-py3.11.prof')
    const series = await get<Series>(app, `/api/series?label=${q(PROJECT)}`)
    expect(series.order).toBe('commit-time')
    expect(series.label).toEqual({ key: 'project', value: 'series-app' })
    expect(series.runs.map((run) => run.id)).toEqual(commits.map((c) => ids.get(c.index)))
    expect(series.truncated).toBe(false)

    const newest = await get<Series>(app, `/api/series?label=${q(PROJECT)}&limit=5`)
    expect(newest.truncated).toBe(true)
    expect(newest.runs).toHaveLength(5)
  })

  it('orders by upload time when a run has no commit time', async () => {
    const { app } = await build()
    const ids: string[] = []
    for (const fixture of ['a.prof', 'b.prof']) {
      const form = new FormData()
      form.append('file', new Blob([new Uint8Array(commits[0]!.prof)]), fixture)
      form.append('label', 'suite=a b=c')
      const response = await app.inject({ method: 'POST', url: '/api/runs', payload: form })
      ids.push((response.json() as { id: string }).id)
    }
    const series = await get<Series>(app, `/api/series?label=${q('suite=a b=c')}`)
    expect(series.order).toBe('created')
    expect(series.runs.map((run) => run.id)).toEqual(ids)
    expect((await get<Series>(app, `/api/series?label=${q('suite=other')}`)).runs).toEqual([])
  })

  it('refuses a label that is not KEY=VALUE, with a message', async () => {
    const { app } = await build()
    for (const url of [
      '/api/series',
      '/api/series?label=nokey',
      '/api/series/changes?label=%3Dx',
    ]) {
      const response = await app.inject({ method: 'GET', url })
      expect(response.statusCode, url).toBe(400)
      expect(response.json()).toMatchObject({ message: expect.stringMatching(/label/i) })
    }
  })
})

describe('a regression in a series', () => {
  it('is pointed at by /api/series/changes: that commit, that function, its callers through it', async () => {
    const { app } = await build()
    const ids = await uploadSeries(app)
    const answer = await get<SeriesChanges>(app, `/api/series/changes?label=${q(PROJECT)}`)
    expect(answer.runCount).toBe(COUNT)

    const slower = answer.changes.filter((change) => change.direction === 'slower')
    expect(slower.map((change) => change.name)).toEqual(['parse_rule'])
    const [change] = slower
    expect(change!.runId).toBe(ids.get(SLOW_FROM))
    expect(change!.labels.commit).toBe(commits[SLOW_FROM - 1]!.commit)
    expect(change!.previousRunId).toBe(ids.get(SLOW_FROM - 1))
    expect(change!.file).toMatch(/series_app\.py$/)
    // Three times the work: clearly more than double, by its own time.
    expect(change!.tottime.after).toBeGreaterThan(2 * change!.tottime.before)
    expect(change!.tottime.percent).toBeGreaterThan(100)
    expect(change!.ncalls).toEqual({ before: 60, after: 60 })
    // Its callers' cumulative time grew only through it: shown under it, not as changes.
    expect(change!.callers.map((caller) => caller.name).sort()).toEqual(
      expect.arrayContaining(['load_rules', 'main']),
    )
    for (const caller of change!.callers) {
      expect(caller.cumtime.after).toBeGreaterThan(caller.cumtime.before)
    }
    const flagged = answer.changes.map((c) => c.name)
    for (const name of ['score_rule', 'report', 'load_rules', 'main']) {
      expect(flagged).not.toContain(name)
    }
  })

  it("shows in the function's history: flagged at that commit, unaffected functions never", async () => {
    const { app } = await build()
    const ids = await uploadSeries(app)
    const changes = await get<SeriesChanges>(app, `/api/series/changes?label=${q(PROJECT)}`)
    const parse = changes.changes.find((change) => change.name === 'parse_rule')!
    const history = await get<SeriesFunction>(
      app,
      `/api/series/function?label=${q(PROJECT)}&file=${q(parse.file)}&line=${parse.line}&name=parse_rule`,
    )
    expect(history.points.map((point) => point.runId)).toEqual(commits.map((c) => ids.get(c.index)))
    expect(history.points.every((point) => point.found && point.ncalls === 60)).toBe(true)
    const flagged = history.points.flatMap((point, i) => (point.flag === null ? [] : [i + 1]))
    expect(flagged[0]).toBe(SLOW_FROM)
    expect(history.points[SLOW_FROM - 1]).toMatchObject({
      flag: 'slower',
      baseline: expect.any(Number),
    })
    for (const point of history.points) expect(point.runTotal).toBeGreaterThan(point.cumtime)

    const score = await get<SeriesFunction>(
      app,
      `/api/series/function?label=${q(PROJECT)}&file=${q(parse.file)}&line=0&name=score_rule`,
    )
    // Found by its name in its file (the line asked for is not its line: the only one is taken).
    expect(score.points.every((point) => point.found)).toBe(true)
    expect(score.points.filter((point) => point.flag !== null)).toEqual([])

    const missing = await get<SeriesFunction>(
      app,
      `/api/series/function?label=${q(PROJECT)}&file=${q('/nowhere.py')}&line=1&name=f`,
    )
    expect(missing.points).toHaveLength(COUNT)
    expect(missing.points.every((point) => !point.found && point.tottime === 0)).toBe(true)
  })

  it('stops naming a deleted run, and keeps answering', async () => {
    const { app } = await build()
    const ids = await uploadSeries(app)
    const slowRun = ids.get(SLOW_FROM)!
    const response = await app.inject({ method: 'DELETE', url: `/api/runs/${slowRun}` })
    expect(response.statusCode).toBe(204)
    const series = await get<Series>(app, `/api/series?label=${q(PROJECT)}`)
    expect(series.runs.map((run) => run.id)).not.toContain(slowRun)
    const changes = await get<SeriesChanges>(app, `/api/series/changes?label=${q(PROJECT)}`)
    expect(changes.changes.map((change) => change.runId)).not.toContain(slowRun)
    // The next commit is now where it got slower.
    expect(changes.changes.find((c) => c.name === 'parse_rule')?.runId).toBe(ids.get(SLOW_FROM + 1))
  })
})
