import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { text } from 'node:stream/consumers'
import { fixturePath, legacyDocumentPath } from '@profhub/fixtures'
import {
  readProfileDocument,
  seriesFunctionsOf,
  type SeriesFunctions,
  type StatRow,
} from '@profhub/profile'
import Database from 'better-sqlite3'
import Fastify from 'fastify'
import { describe, expect, it, onTestFinished } from 'vitest'
import configPlugin, { parseConfig } from '../../src/plugins/app/config.ts'
import profileWorkersPlugin from '../../src/plugins/app/profile-workers.ts'
import converterPlugin from '../../src/plugins/app/pstats-converter.ts'
import runStorePlugin from '../../src/plugins/app/run-store.ts'
import seriesBackfillPlugin from '../../src/plugins/app/series-backfill.ts'
import { emptyExtras } from '../../src/runs/run-parts.ts'
import type { RunListOptions } from '../../src/runs/run-store.ts'
import { SCHEMA_VERSION } from '../../src/runs/sqlite-schema.ts'
import { SCHEMA_1_SQL, SCHEMA_4_SQL } from '../runs/old-schemas.ts'

const NEWEST_FIRST = { sort: 'created', order: 'desc', q: '', labels: [] } satisfies Omit<
  RunListOptions,
  'limit' | 'after'
>

async function tempDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'profhub-store-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/**
 * The run-store plugin on a bare Fastify, with the converter to make real documents (and with
 * `backfill`, the series backfill).
 */
async function openStore(dataDir: string, { backfill = false } = {}) {
  const app = Fastify()
  app.register(configPlugin, { config: parseConfig({ DATA_DIR: dataDir }) })
  app.register(profileWorkersPlugin)
  app.register(converterPlugin)
  app.register(runStorePlugin)
  if (backfill) app.register(seriesBackfillPlugin)
  onTestFinished(() => app.close())
  await app.ready()

  /** What the upload route does: a file in the upload dir, converted, handed to the store. */
  async function createRun(fixture: string, name = fixture) {
    const uploadPath = path.join(app.config.uploadDir, `${Math.random()}.upload`)
    await copyFile(fixturePath(fixture), uploadPath)
    const converted = await app.convertProfile(uploadPath)
    return app.runStore.create({
      name,
      files: [
        { path: uploadPath, fileName: fixture, fileSize: (await readFile(uploadPath)).length },
      ],
      profile: converted.meta,
      profilePath: converted.jsonPath,
      series: converted.series,
      labels: {},
      extras: emptyExtras(),
    })
  }
  return { app, store: app.runStore, createRun }
}

describe('run-store plugin', () => {
  it('moves the upload into the run directory and writes the converted document', async () => {
    const dataDir = await tempDataDir()
    const { store, createRun } = await openStore(dataDir)
    const run = await createRun('recursion-py3.11.prof')

    expect(await readdir(path.join(dataDir, 'tmp'))).toEqual([])
    expect(await readdir(path.join(dataDir, 'runs', run.id))).toEqual([
      'original.prof',
      'profile.json',
    ])
    expect(await readFile(path.join(dataDir, 'runs', run.id, 'original.prof'))).toEqual(
      await readFile(fixturePath('recursion-py3.11.prof')),
    )
    const golden = JSON.parse(await readFile(fixturePath('recursion-py3.11.json'), 'utf8'))
    const table = await store.readStatsTable(run.id)
    expect(table?.query('file', '', Infinity)).toEqual(
      readProfileDocument(golden)
        .functions.map(
          ({ file, line, name, ncalls, primitiveCalls, tottime, cumtime }: StatRow) => ({
            file,
            line,
            name,
            ncalls,
            primitiveCalls,
            tottime,
            cumtime,
          }),
        )
        .sort((a: StatRow, b: StatRow) =>
          a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line,
        ),
    )
    const json = await store.openProfileJson(run.id)
    expect(JSON.parse(await text(json!.stream))).toEqual(golden)
    expect(await store.get(run.id)).toEqual(run)
  })

  it('reads runs that an older profhub stored in formatVersion 1', async () => {
    const dataDir = await tempDataDir()
    const older = await openStore(dataDir)
    const run = await older.createRun('recursion-py3.11.prof')
    await older.app.close()
    const legacy = await readFile(legacyDocumentPath('recursion-py3.11.v1.json'))
    await writeFile(path.join(dataDir, 'runs', run.id, 'profile.json'), legacy)

    const { store } = await openStore(dataDir)
    const golden = JSON.parse(await readFile(fixturePath('recursion-py3.11.json'), 'utf8'))
    const rows = (await store.readStatsTable(run.id))?.query('cumtime', '', Infinity)
    expect(rows).toHaveLength(golden.summary.functionCount)
    expect(rows?.[0]).toEqual(
      readProfileDocument(golden).functions.find((fn) => fn.name === rows?.[0]?.name),
    )
    const json = await store.openProfileJson(run.id)
    expect(Buffer.from(await text(json!.stream))).toEqual(legacy)
  })

  it('lists newest first, in upload order even within one millisecond', async () => {
    const { store, createRun } = await openStore(await tempDataDir())
    const ids = []
    for (let i = 0; i < 5; i += 1) ids.push((await createRun('shapes-py3.11.prof', `run ${i}`)).id)

    const first = await store.list({ ...NEWEST_FIRST, limit: 3, after: null })
    expect(first.runs.map((run) => run.id)).toEqual(ids.toReversed().slice(0, 3))
    const second = await store.list({ ...NEWEST_FIRST, limit: 3, after: first.next })
    expect(second.runs.map((run) => run.id)).toEqual(ids.toReversed().slice(3))
    expect(second.next).toBeNull()
    const times = first.runs.concat(second.runs).map((run) => run.createdAt)
    expect(new Set(times).size).toBe(5)
  })

  it('renames, sets notes, and deletes', async () => {
    const dataDir = await tempDataDir()
    const { store, createRun } = await openStore(dataDir)
    const run = await createRun('recursion-py3.11.prof')

    expect(run.note).toBe('')
    expect((await store.update(run.id, { name: 'renamed' }))?.name).toBe('renamed')
    expect(await store.update(run.id, { note: 'a\nnote' })).toMatchObject({
      name: 'renamed',
      note: 'a\nnote',
    })
    expect(await store.update(run.id, { name: 'both', note: '' })).toMatchObject({
      name: 'both',
      note: '',
    })
    expect(await store.update('AAAAAAAAAAAAAAAAAAAAAA', { name: 'x' })).toBeNull()
    expect(await store.delete(run.id)).toBe(true)
    expect(await store.delete(run.id)).toBe(false)
    expect(await store.get(run.id)).toBeNull()
    expect(await store.readStatsTable(run.id)).toBeNull()
    expect(await store.openOriginal(run.id)).toBeNull()
    expect(await readdir(path.join(dataDir, 'runs'))).toEqual([])
  })

  it('keeps runs across a restart', async () => {
    const dataDir = await tempDataDir()
    const first = await openStore(dataDir)
    const run = await first.createRun('recursion-py3.11.prof')
    const rows = (await first.store.readStatsTable(run.id))?.query('file', '', Infinity)
    expect(rows).toHaveLength(106)
    await first.app.close()

    const { store } = await openStore(dataDir)
    expect(await store.get(run.id)).toEqual(run)
    expect((await store.readStatsTable(run.id))?.query('file', '', Infinity)).toEqual(rows)
  })

  it('removes what an interrupted upload left behind when it opens', async () => {
    const dataDir = await tempDataDir()
    const first = await openStore(dataDir)
    const kept = await first.createRun('recursion-py3.11.prof')
    await first.app.close()
    // A crash after the files were written but before the row was: no row, so garbage.
    const orphan = path.join(dataDir, 'runs', 'BBBBBBBBBBBBBBBBBBBBBB')
    await mkdir(orphan)
    await writeFile(path.join(orphan, 'original.prof'), 'x')
    await writeFile(path.join(orphan, '.profile.json.0a1b2c.tmp'), '{')
    await writeFile(path.join(dataDir, 'tmp', 'f00.upload'), 'half an upload')

    const { store } = await openStore(dataDir)
    expect(await readdir(path.join(dataDir, 'runs'))).toEqual([kept.id])
    expect(await readdir(path.join(dataDir, 'tmp'))).toEqual([])
    expect(await store.get(kept.id)).toEqual(kept)
  })

  it('leaves nothing behind when it cannot store a run', async () => {
    const dataDir = await tempDataDir()
    const { store, app } = await openStore(dataDir)
    const converted = await app.convertProfile(fixturePath('recursion-py3.11.prof'))
    // The first file moves in; the second is missing.
    const firstPath = path.join(dataDir, 'tmp', 'first.upload')
    await copyFile(fixturePath('recursion-py3.11.prof'), firstPath)
    const attempt = store.create({
      name: 'x',
      files: [
        { path: firstPath, fileName: 'a.prof', fileSize: 1 },
        {
          path: path.join(dataDir, 'tmp', 'never-written.upload'),
          fileName: 'x.prof',
          fileSize: 1,
        },
      ],
      profile: converted.meta,
      profilePath: converted.jsonPath,
      series: converted.series,
      labels: {},
      extras: emptyExtras(),
    })

    await expect(attempt).rejects.toThrow(/ENOENT/)
    expect(await readdir(path.join(dataDir, 'runs'))).toEqual([])
    expect((await store.list({ ...NEWEST_FIRST, limit: 10, after: null })).runs).toEqual([])
  })

  it('refuses a DATA_DIR written by a newer version', async () => {
    const dataDir = await tempDataDir()
    const db = new Database(path.join(dataDir, 'profhub.sqlite'))
    db.pragma('user_version = 99')
    db.close()

    await expect(openStore(dataDir)).rejects.toThrow(/newer profhub/)
  })

  it('upgrades a schema 1 DATA_DIR: notes, source files and total times for the old runs', async () => {
    const dataDir = await tempDataDir()
    await mkdir(path.join(dataDir, 'runs', OLD_RUN.id), { recursive: true })
    await copyFile(
      fixturePath('recursion-py3.11.prof'),
      path.join(dataDir, 'runs', OLD_RUN.id, 'original.prof'),
    )
    writeSchema1Database(dataDir)

    const { store, createRun } = await openStore(dataDir)
    expect(await store.get(OLD_RUN.id)).toEqual({
      id: OLD_RUN.id,
      name: 'from the first schema',
      createdAt: '2026-01-02T03:04:05.678Z',
      sourceFormat: 'cProfile',
      summary: OLD_RUN.summary,
      source: {
        fileName: 'old.prof',
        fileSize: 1234,
        pythonVersion: '3.11',
        files: [{ fileName: 'old.prof', fileSize: 1234 }],
      },
      note: '',
      labels: {},
      environment: {
        formatVersion: 1,
        python: { version: '3.11' },
        profiler: { name: 'cProfile' },
        guessed: true,
      },
      hasMemory: false,
      sourceFiles: [],
    })
    expect((await store.update(OLD_RUN.id, { note: 'kept' }))?.note).toBe('kept')
    const newer = await createRun('shapes-py3.11.prof')
    const byTime = await store.list({
      sort: 'totalTime',
      order: 'asc',
      q: '',
      labels: [],
      limit: 10,
      after: null,
    })
    expect(byTime.runs.map((run) => run.id)).toEqual(
      newer.summary.totalTime < OLD_RUN.summary.totalTime
        ? [newer.id, OLD_RUN.id]
        : [OLD_RUN.id, newer.id],
    )
    const db = new Database(path.join(dataDir, 'profhub.sqlite'), { readonly: true })
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    db.close()
  })

  it('upgrades a schema 4 DATA_DIR: old runs join their series, their rows are stored after start', async () => {
    const dataDir = await tempDataDir()
    // A run of each document version, and one whose document is lost (it keeps no rows).
    const documents = [
      fixturePath('recursion-py3.11.json'),
      legacyDocumentPath('recursion-profile-py3.11.v1.json'),
      null,
    ]
    const ids = ['EEEEEEEEEEEEEEEEEEEEEE', 'FFFFFFFFFFFFFFFFFFFFFF', 'GGGGGGGGGGGGGGGGGGGGGG']
    const db = new Database(path.join(dataDir, 'profhub.sqlite'))
    db.exec(SCHEMA_4_SQL)
    for (const [i, id] of ids.entries()) {
      await mkdir(path.join(dataDir, 'runs', id), { recursive: true })
      if (documents[i] !== null) {
        await copyFile(documents[i]!, path.join(dataDir, 'runs', id, 'profile.json'))
      }
      db.prepare(
        `INSERT INTO runs (id, name, created_at, source_format, summary, file_name, file_size,
           labels) VALUES (?, ?, ?, 'cProfile', ?, 'old.prof', 1, ?)`,
      ).run(
        id,
        `old ${i}`,
        `2026-01-0${i + 1}T00:00:00.000Z`,
        JSON.stringify(OLD_RUN.summary),
        JSON.stringify({ project: 'a "b"', os: i === 1 ? 'li\u0000nux' : 'linux' }),
      )
    }
    db.pragma('user_version = 4')
    db.close()

    const upgraded = await openStore(dataDir)
    expect(await upgraded.store.listRunsWithoutSeries(10)).toEqual(ids)
    const series = await upgraded.store.listSeries(['project', 'a "b"'], 10)
    expect(series.runs.map((entry) => [entry.run.id, entry.root])).toEqual(
      ids.map((id) => [id, '']),
    )
    expect((await upgraded.store.listSeries(['os', 'li\u0000nux'], 10)).runs).toHaveLength(1)
    expect((await upgraded.store.readSeriesRows(ids, null)).size).toBe(0)
    await upgraded.app.close()

    const { store } = await openStore(dataDir, { backfill: true })
    await expect.poll(() => store.listRunsWithoutSeries(10)).toEqual([ids[2]])
    const expected = await Promise.all(
      documents.slice(0, 2).map(async (file) => {
        const document = JSON.parse(await readFile(file!, 'utf8'))
        return seriesFunctionsOf(readProfileDocument(document).functions)
      }),
    )
    const rows = await store.readSeriesRows(ids, null)
    expect([...rows.keys()].sort()).toEqual(ids.slice(0, 2))
    for (const [i, id] of ids.slice(0, 2).entries()) {
      const columns = rows.get(id)!
      const keys = await store.readSeriesKeys(columns.keyIds)
      expect(
        sortedRows({ ...columns, keys: columns.keyIds.map((k) => keys.get(k)!), root: '' }),
      ).toEqual(sortedRows({ ...expected[i]!, root: '' }))
    }
    const roots = (await store.listSeries(['project', 'a "b"'], 10)).runs.map((e) => e.root)
    expect(roots).toEqual([expected[0]!.root, expected[1]!.root, ''])
  })

  it('lists by name or total time, either way, and searches names case-insensitively', async () => {
    const { store, createRun } = await openStore(await tempDataDir())
    const small = await createRun('recursion-py3.11.prof', 'beta Ünïcode')
    const large = await createRun('rules_cache1000.prof', 'Alpha')
    const middle = await createRun('shapes-py3.11.prof', 'alpha 2')
    const list = async (sort: 'created' | 'name' | 'totalTime', order: 'asc' | 'desc', q = '') =>
      (await store.list({ sort, order, q, labels: [], limit: 10, after: null })).runs.map(
        (r) => r.name,
      )

    expect(small.summary.totalTime).toBeLessThan(middle.summary.totalTime)
    expect(middle.summary.totalTime).toBeLessThan(large.summary.totalTime)
    expect(await list('name', 'asc')).toEqual(['Alpha', 'alpha 2', 'beta Ünïcode'])
    expect(await list('name', 'desc')).toEqual(['beta Ünïcode', 'alpha 2', 'Alpha'])
    expect(await list('totalTime', 'desc')).toEqual(['Alpha', 'alpha 2', 'beta Ünïcode'])
    expect(await list('created', 'asc')).toEqual(['beta Ünïcode', 'Alpha', 'alpha 2'])
    expect(await list('created', 'desc', 'ALPHA')).toEqual(['alpha 2', 'Alpha'])
    expect(await list('name', 'asc', 'üNÏ')).toEqual(['beta Ünïcode'])
    expect(await list('name', 'asc', '%')).toEqual([])
    expect(await list('name', 'asc', 'a 2')).toEqual(['alpha 2'])
  })
})

/** A run's series rows as one line each, in one order. */
function sortedRows(series: SeriesFunctions): string[] {
  return series.keys
    .map((key, i) =>
      JSON.stringify([
        key,
        series.line[i],
        series.ncalls[i],
        series.primitiveCalls[i],
        series.tottime[i],
        series.cumtime[i],
      ]),
    )
    .sort()
}

const OLD_RUN = {
  id: 'CCCCCCCCCCCCCCCCCCCCCC',
  summary: { totalTime: 0.25, totalCalls: 10, primitiveCalls: 9, functionCount: 3 },
}

/** A DATA_DIR as the first schema wrote it (user_version 1), with one run. */
function writeSchema1Database(dataDir: string): void {
  const db = new Database(path.join(dataDir, 'profhub.sqlite'))
  db.exec(SCHEMA_1_SQL)
  db.prepare(
    `INSERT INTO runs VALUES (?, 'from the first schema', '2026-01-02T03:04:05.678Z', 'cProfile',
       ?, 'old.prof', 1234, '3.11')`,
  ).run(OLD_RUN.id, JSON.stringify(OLD_RUN.summary))
  db.pragma('user_version = 1')
  db.close()
}
