import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fixturePath } from '@profhub/fixtures'
import {
  readProfileDocument,
  seriesFunctionsOf,
  type SeriesFunctions,
  type SeriesRow,
} from '@profhub/profile'
import Database from 'better-sqlite3'
import { pino } from 'pino'
import { beforeEach, describe, expect, it, onTestFinished } from 'vitest'
import { ProfileWorkers } from '../../src/converter/profile-workers.ts'
import type { RunStore } from '../../src/runs/run-store.ts'
import { backfillSeries } from '../../src/runs/series-backfill.ts'
import {
  backends,
  newRun,
  openPgStore,
  testDatabase,
  testDir,
  type TestStorage,
} from './run-store-backends.ts'

// The RunStore contract's series part (the rows a run adds to its series, and the runs of a
// label), on every backend (run-store-backends.ts), each test on fresh, empty storage.

/** The series rows of a fixture's golden document, as the converter works them out. */
async function goldenSeries(fixture: string): Promise<SeriesFunctions> {
  const document = JSON.parse(await readFile(fixturePath(`${fixture}.json`), 'utf8'))
  return seriesFunctionsOf(readProfileDocument(document).functions)
}

/** The rows as objects, in one order (by key, then line). */
function rowsOf(series: SeriesFunctions): SeriesRow[] {
  return series.keys
    .map((key, i) => ({
      key,
      line: series.line[i]!,
      ncalls: series.ncalls[i]!,
      primitiveCalls: series.primitiveCalls[i]!,
      tottime: series.tottime[i]!,
      cumtime: series.cumtime[i]!,
    }))
    .sort(byKeyAndLine)
}

function byKeyAndLine(a: SeriesRow, b: SeriesRow): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : a.line - b.line
}

/** What the store answers for these runs, each run's rows as objects (key texts looked up). */
async function storedRows(
  store: RunStore,
  runIds: string[],
  keys: string[] | null = null,
): Promise<Map<string, SeriesRow[]>> {
  const read = await store.readSeriesRows(runIds, keys)
  const keyIds = [...new Set([...read.values()].flatMap((columns) => columns.keyIds))]
  const texts = await store.readSeriesKeys(keyIds)
  expect(texts.size).toBe(keyIds.length)
  const result = new Map<string, SeriesRow[]>()
  for (const [runId, c] of read) {
    const rows = c.keyIds.map((id, i) => ({
      key: texts.get(id)!,
      line: c.line[i]!,
      ncalls: c.ncalls[i]!,
      primitiveCalls: c.primitiveCalls[i]!,
      tottime: c.tottime[i]!,
      cumtime: c.cumtime[i]!,
    }))
    result.set(runId, rows.sort(byKeyAndLine))
  }
  return result
}

describe.each(backends)('RunStore series: $name', (backend) => {
  let storage: TestStorage
  let store: RunStore

  beforeEach(async () => {
    storage = await backend.create()
    store = await storage.open()
  })

  it('stores a run’s series rows with it and reads them back exactly', async () => {
    const recursion = await store.create(await newRun(['recursion-py3.11']))
    const hostile = await store.create(await newRun(['hostile_names-py2.7']))
    const again = await store.create(await newRun(['recursion-py3.11']))
    const expected = rowsOf(await goldenSeries('recursion-py3.11'))
    const hostileRows = rowsOf(await goldenSeries('hostile_names-py2.7'))
    expect(expected.length).toBeGreaterThan(3)

    const all = await storedRows(store, [
      recursion.id,
      hostile.id,
      again.id,
      'AAAAAAAAAAAAAAAAAAAAAA',
    ])
    expect([...all.keys()].sort()).toEqual([recursion.id, hostile.id, again.id].sort())
    expect(all.get(recursion.id)).toEqual(expected)
    expect(all.get(again.id)).toEqual(expected)
    expect(all.get(hostile.id)).toEqual(hostileRows)
    // Runs of one program share their key ids.
    const ids = await store.readSeriesRows([recursion.id, again.id], null)
    expect(new Set(ids.get(again.id)!.keyIds)).toEqual(new Set(ids.get(recursion.id)!.keyIds))

    // Only the rows of the keys asked for; keys never stored match nothing.
    const keys = [expected[0]!.key, hostileRows.at(-1)!.key, '["path","nowhere.py","f"]']
    const some = await storedRows(store, [recursion.id, hostile.id], keys)
    expect(some.get(recursion.id)).toEqual(expected.filter((row) => keys.includes(row.key)))
    expect(some.get(hostile.id)).toEqual(hostileRows.filter((row) => keys.includes(row.key)))
    expect(await store.readSeriesRows([recursion.id], ['["path","nowhere.py","f"]'])).toEqual(
      new Map(),
    )
    expect(await store.readSeriesRows([], null)).toEqual(new Map())
    expect(await store.readSeriesKeys([])).toEqual(new Map())
    expect(await store.listRunsWithoutSeries(10)).toEqual([])
  })

  it('stores a big run’s rows exactly, and those of another upload of it at the same time', async () => {
    // 2,500 rows: the embedded store inserts them a thousand at a time (ROWS_PER_STEP), before
    // the run's row. Some keys twice (one function name at two lines).
    const count = 2500
    const series: SeriesFunctions = {
      root: '["path","big.py","<module>"]',
      keys: Array.from({ length: count }, (_, i) => `["path","big.py","f${i % 2400}"]`),
      line: Array.from({ length: count }, (_, i) => i),
      ncalls: Array.from({ length: count }, (_, i) => i + 1),
      primitiveCalls: Array.from({ length: count }, (_, i) => i + 1),
      tottime: Array.from({ length: count }, (_, i) => i / 1000),
      cumtime: Array.from({ length: count }, (_, i) => (2 * i) / 1000),
    }
    const upload = async () => ({ ...(await newRun(['recursion-py3.11'])), series })
    const [one, two] = await Promise.all([
      store.create(await upload()),
      store.create(await upload()),
    ])
    const rows = await storedRows(store, [one.id, two.id])
    expect(rows.get(one.id)).toEqual(rowsOf(series))
    expect(rows.get(two.id)).toEqual(rowsOf(series))
    const ids = await store.readSeriesRows([one.id, two.id], null)
    expect(new Set(ids.get(one.id)!.keyIds).size).toBe(2400)
    expect(new Set(ids.get(two.id)!.keyIds)).toEqual(new Set(ids.get(one.id)!.keyIds))
  })

  it('lists the runs of a label, the newest `limit` oldest first, with odd keys and values', async () => {
    const odd: [string, string][] = [
      ['project', 'a"b\'c\\d'],
      ['k=ey', 'x=y'],
      ['os', 'li\u0000nux'],
      ['emoji', '🔥 $."x"'],
      ['$."project"', 'p'],
    ]
    const made = []
    for (let i = 0; i < 5; i += 1) {
      made.push(
        await store.create(
          await newRun(['recursion-py3.11'], {
            name: `run ${i}`,
            labels: Object.fromEntries(odd.slice(0, i + 1)),
          }),
        ),
      )
    }
    const other = await store.create(await newRun(['empty-py3.11'], { labels: { os: 'li' } }))

    const listed = await store.listSeries(['project', 'a"b\'c\\d'], 10)
    expect(listed.truncated).toBe(false)
    expect(listed.runs.map(({ run }) => run)).toEqual(
      await Promise.all(made.map((run) => store.get(run.id))),
    )
    const root = (await goldenSeries('recursion-py3.11')).root
    expect(listed.runs.map((entry) => entry.root)).toEqual(made.map(() => root))

    const newest = await store.listSeries(['project', 'a"b\'c\\d'], 3)
    expect(newest.runs.map(({ run }) => run.name)).toEqual(['run 2', 'run 3', 'run 4'])
    expect(newest.truncated).toBe(true)
    const exact = await store.listSeries(['project', 'a"b\'c\\d'], 5)
    expect(exact.truncated).toBe(false)
    expect(exact.runs).toHaveLength(5)

    const names = async (label: [string, string]) =>
      (await store.listSeries(label, 10)).runs.map(({ run }) => run.name)
    expect(await names(['k=ey', 'x=y'])).toEqual(['run 1', 'run 2', 'run 3', 'run 4'])
    expect(await names(['os', 'li\u0000nux'])).toEqual(['run 2', 'run 3', 'run 4'])
    expect(await names(['os', 'li'])).toEqual([other.name])
    expect(await names(['emoji', '🔥 $."x"'])).toEqual(['run 3', 'run 4'])
    expect(await names(['$."project"', 'p'])).toEqual(['run 4'])
    expect(await names(['project', 'a"b\'c'])).toEqual([])
    expect(await names(['k', 'ey=x=y'])).toEqual([])
    expect(await names(['__proto__', 'x'])).toEqual([])

    // A deleted run leaves its series.
    await store.delete(made[4]!.id)
    expect(await names(['$."project"', 'p'])).toEqual([])
    expect(await names(['k=ey', 'x=y'])).toEqual(['run 1', 'run 2', 'run 3'])
  })

  it('deletes a run’s rows with it and keeps the other runs’', async () => {
    const gone = await store.create(await newRun(['recursion-py3.11']))
    const kept = await store.create(await newRun(['recursion-py3.11']))
    expect(await store.delete(gone.id)).toBe(true)
    const rows = await storedRows(store, [gone.id, kept.id])
    expect([...rows.keys()]).toEqual([kept.id])
    expect(rows.get(kept.id)).toEqual(rowsOf(await goldenSeries('recursion-py3.11')))
    const keys = rows.get(kept.id)!.map((row) => row.key)
    expect(await store.readSeriesRows([gone.id], keys)).toEqual(new Map())
  })

  it('stores the rows of a run stored before series, once', async () => {
    const old = await store.create(await newRun(['recursion-py3.11'], { labels: { p: 'x' } }))
    const older = await store.create(await newRun(['empty-py3.11'], { labels: { p: 'x' } }))
    const current = await store.create(await newRun(['recursion-py2.7'], { labels: { p: 'x' } }))
    await storage.forgetSeries(older.id)
    await storage.forgetSeries(old.id)
    expect(await store.listRunsWithoutSeries(10)).toEqual([old.id, older.id])
    expect(await store.listRunsWithoutSeries(1)).toEqual([old.id])
    expect((await store.readSeriesRows([old.id, older.id], null)).size).toBe(0)
    // Still in its series, with no root until its rows are stored.
    const before = await store.listSeries(['p', 'x'], 10)
    expect(before.runs.map((entry) => [entry.run.id, entry.root])).toEqual([
      [old.id, ''],
      [older.id, ''],
      [current.id, (await goldenSeries('recursion-py2.7')).root],
    ])

    const series = await goldenSeries('recursion-py3.11')
    const stores = storage.shared ? [store, await storage.open()] : [store, store]
    // Two servers backfilling the same run at once: one stores it.
    const stored = await Promise.all(stores.map((s) => s.storeSeries(old.id, series)))
    expect(stored.sort()).toEqual([false, true])
    expect(await store.storeSeries(old.id, series)).toBe(false)
    expect((await storedRows(store, [old.id])).get(old.id)).toEqual(rowsOf(series))
    expect(await store.listRunsWithoutSeries(10)).toEqual([older.id])
    const after = await store.listSeries(['p', 'x'], 10)
    expect(after.runs[0]!.root).toBe(series.root)

    // A run deleted before its rows are stored is skipped.
    expect(await store.delete(older.id)).toBe(true)
    expect(await store.storeSeries(older.id, await goldenSeries('empty-py3.11'))).toBe(false)
    expect(await store.listRunsWithoutSeries(10)).toEqual([])
    expect((await store.readSeriesRows([older.id], null)).size).toBe(0)
  })
})

describe('PgRunStore series on its own', () => {
  it('upgrades a schema 1 database: its runs join their series, and the backfill stores their rows', async () => {
    const { url, pool } = await testDatabase()
    const before = await openPgStore(url)
    const fixtures = ['recursion-py3.11', 'hostile_names-py2.7']
    const runs = []
    for (const fixture of fixtures) {
      runs.push(await before.create(await newRun([fixture], { labels: { p: 'li\u0000nux' } })))
    }
    // Back to schema 1, as a database an older server wrote (migration 2 only adds).
    await pool.query(`
      DROP TABLE series_rows, series_keys, series_packed;
      ALTER TABLE runs DROP COLUMN series_root, DROP COLUMN series_stored;
      DELETE FROM schema_migrations WHERE version = 2;
    `)

    const store = await openPgStore(url)
    expect(await store.listRunsWithoutSeries(10)).toEqual(runs.map((run) => run.id))
    const series = await store.listSeries(['p', 'li\u0000nux'], 10)
    expect(series.runs.map(({ run, root }) => [run, root])).toEqual(runs.map((run) => [run, '']))

    const workers = new ProfileWorkers(1)
    onTestFinished(() => workers.close())
    const lines: string[] = []
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) })
    await backfillSeries(store, workers, log, () => false)
    expect(await store.listRunsWithoutSeries(10)).toEqual([])
    for (const [i, run] of runs.entries()) {
      const expected = await goldenSeries(fixtures[i]!)
      expect((await storedRows(store, [run.id])).get(run.id)).toEqual(rowsOf(expected))
    }
    const logged = lines.map((line) => JSON.parse(line))
    expect(logged.map((entry) => entry.runId)).toEqual(runs.map((run) => run.id))
    expect(logged.map((entry) => entry.level)).toEqual([30, 30])
  })
})

describe('RunStore series: SQLite, an upload stopped between its rows and its run', () => {
  it('leaves no rows after the next start, and keeps every stored run’s', async () => {
    const storage = await backends.find((backend) => backend.name === 'SQLite')!.create()
    const store = await storage.open()
    const kept = await store.create(await newRun(['recursion-py3.11']))
    await store.close()
    // As a server stopped between two steps of an upload leaves it: the mark, some rows, no run.
    const stopped = 'BBBBBBBBBBBBBBBBBBBBBB'
    const file = path.join(testDir(), 'data', 'profhub.sqlite')
    const count = (db: Database.Database, table: string) =>
      db.prepare(`SELECT count(*) FROM ${table} WHERE run_id = ?`).pluck().get(stopped)
    const db = new Database(file)
    try {
      db.prepare("INSERT INTO series_packed VALUES (?, x'')").run(stopped)
      db.prepare(
        `INSERT INTO series_rows SELECT key_id, ?, line, ncalls, primitive_calls, tottime, cumtime
         FROM series_rows WHERE run_id = ?`,
      ).run(stopped, kept.id)
      expect(count(db, 'series_rows')).toBeGreaterThan(3)
    } finally {
      db.close()
    }

    const reopened = await storage.open()
    const check = new Database(file, { readonly: true })
    try {
      expect([count(check, 'series_rows'), count(check, 'series_packed')]).toEqual([0, 0])
    } finally {
      check.close()
    }
    const rows = await storedRows(reopened, [kept.id])
    expect(rows.get(kept.id)).toEqual(rowsOf(await goldenSeries('recursion-py3.11')))
  })
})
