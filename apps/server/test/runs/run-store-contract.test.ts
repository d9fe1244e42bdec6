import { createHash, randomBytes } from 'node:crypto'
import { readFile, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { buffer, text } from 'node:stream/consumers'
import { brotliDecompressSync } from 'node:zlib'
import { fixturePath } from '@profhub/fixtures'
import type { Run, RunSort, SortOrder } from '@profhub/api'
import { beforeEach, describe, expect, it } from 'vitest'
import { PgBlobs } from '../../src/runs/pg-blobs.ts'
import { PG_SCHEMA_VERSION } from '../../src/runs/pg-schema.ts'
import type { RunListOptions, RunStore } from '../../src/runs/run-store.ts'
import {
  backends,
  newRun,
  openPgStore,
  testDatabase,
  testDir,
  type TestStorage,
} from './run-store-backends.ts'

// The RunStore contract, the same for every backend (run-store-backends.ts): each test gets
// fresh, empty storage. Runs are made from the fixtures' golden documents (what the converter
// would write), so the stores are given real profiles without running the shim.

const ALL: Omit<RunListOptions, 'limit'> = {
  sort: 'created',
  order: 'desc',
  q: '',
  labels: [],
  after: null,
}

/** Every run the query lists, walking its pages `limit` at a time. */
async function listAll(
  store: RunStore,
  query: Partial<RunListOptions> = {},
  limit = 2,
): Promise<Run[]> {
  const runs: Run[] = []
  let after: RunListOptions['after'] = null
  for (;;) {
    const page = await store.list({ ...ALL, ...query, limit, after })
    runs.push(...page.runs)
    if (page.next === null) return runs
    expect(page.runs).toHaveLength(limit)
    after = page.next
  }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Byte order of UTF-8, as both stores compare text. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}

/** The order a listing must have, computed here from the runs. */
function expectedOrder(runs: Run[], sort: RunSort, order: SortOrder): string[] {
  // SQLite's NOCASE: A-Z only.
  const fold = (name: string) => name.replace(/[A-Z]/g, (c) => c.toLowerCase())
  const sorted = [...runs].sort((a, b) => {
    const byKey =
      sort === 'created'
        ? compareBytes(a.createdAt, b.createdAt)
        : sort === 'name'
          ? compareBytes(fold(a.name), fold(b.name))
          : a.summary.totalTime - b.summary.totalTime
    return byKey !== 0 ? byKey : compareBytes(a.id, b.id)
  })
  if (order === 'desc') sorted.reverse()
  return sorted.map((run) => run.id)
}

const MEMORY = {
  formatVersion: 1 as const,
  tool: 'tracemalloc' as const,
  peakBytes: 2048,
  finalBytes: 1024,
  tracebackLimit: 1,
  lines: [{ file: 'app.py', line: 3, size: 1024, count: 2 }],
  tracebacks: [],
}
const SOURCE = {
  formatVersion: 1 as const,
  files: [
    { path: 'app.py', text: 'def main():\n    pass\n' },
    { path: 'lib/ütil.py', text: 'x = "\u202e"\n' },
  ],
}

describe.each(backends)('RunStore contract: $name', (backend) => {
  let storage: TestStorage
  let store: RunStore

  beforeEach(async () => {
    storage = await backend.create()
    store = await storage.open()
  })

  it('stores a run and gives back its row, document, upload and stats table', async () => {
    const upload = await newRun(['recursion-py3.11'])
    const run = await store.create(upload)
    expect(run).toMatchObject({
      name: 'recursion-py3.11',
      sourceFormat: 'cProfile',
      note: '',
      labels: {},
      hasMemory: false,
      sourceFiles: [],
      source: {
        fileName: 'recursion-py3.11.prof',
        fileSize: upload.files[0]!.fileSize,
        pythonVersion: '3.11',
        files: [{ fileName: 'recursion-py3.11.prof', fileSize: upload.files[0]!.fileSize }],
      },
      environment: { guessed: true, python: { version: '3.11' } },
    })
    expect(new Date(run.createdAt).toISOString()).toBe(run.createdAt)
    expect(await store.get(run.id)).toEqual(run)
    expect(await store.list({ ...ALL, limit: 10 })).toEqual({ runs: [run], next: null })

    const golden = await readFile(fixturePath('recursion-py3.11.json'))
    const json = await store.openProfileJson(run.id)
    expect(json?.size).toBe(golden.length)
    expect(await buffer(json!.stream)).toEqual(golden)
    const original = await store.openOriginal(run.id)
    expect(await buffer(original!.stream)).toEqual(
      await readFile(fixturePath('recursion-py3.11.prof')),
    )
    expect(await store.openOriginal(run.id, 1)).toBeNull()
    expect(await store.openMemory(run.id)).toBeNull()
    expect(await store.readSource(run.id, 'app.py')).toBeNull()

    const table = await store.readStatsTable(run.id)
    expect(table?.query('cumtime', '', Infinity)).toHaveLength(run.summary.functionCount)
    // Took ownership of the upload's files.
    for (const file of [...upload.files.map((f) => f.path), upload.profilePath]) {
      await expect(stat(file)).rejects.toThrow(/ENOENT/)
    }
  })

  it('keeps labels in their order, the memory and source parts and the environment', async () => {
    const environment = { formatVersion: 1 as const, python: { version: '3.12.1' }, cwd: '/src' }
    const labels = { zeta: 'last?', branch: 'main', 'os.name': 'li\u0000nux' }
    const run = await store.create(
      await newRun(['recursion-py3.11'], {
        labels,
        extras: { memory: MEMORY, source: SOURCE, environment },
      }),
    )
    expect(Object.keys(run.labels)).toEqual(['zeta', 'branch', 'os.name'])
    expect(run).toMatchObject({
      labels,
      environment,
      hasMemory: true,
      sourceFiles: ['app.py', 'lib/ütil.py'],
    })
    expect(await store.get(run.id)).toEqual(run)
    expect(JSON.parse(await text((await store.openMemory(run.id))!.stream))).toEqual(MEMORY)
    expect(await store.readSource(run.id, 'lib/ütil.py')).toBe('x = "\u202e"\n')
    expect(await store.readSource(run.id, 'app.py')).toBe('def main():\n    pass\n')
    expect(await store.readSource(run.id, 'other.py')).toBeNull()
  })

  it('keeps every file of a merged run, each at its index', async () => {
    const upload = await newRun(['recursion-py3.11', 'recursion-py2.7', 'empty-py3.11'])
    const run = await store.create(upload)
    expect(run.source.files.map((file) => file.fileName)).toEqual([
      'recursion-py3.11.prof',
      'recursion-py2.7.prof',
      'empty-py3.11.prof',
    ])
    for (const [index, fixture] of [
      'recursion-py3.11',
      'recursion-py2.7',
      'empty-py3.11',
    ].entries()) {
      const blob = await store.openOriginal(run.id, index)
      const bytes = await readFile(fixturePath(`${fixture}.prof`))
      expect(blob?.size).toBe(bytes.length)
      expect(await buffer(blob!.stream)).toEqual(bytes)
    }
    expect(await store.openOriginal(run.id, 3)).toBeNull()
    expect(await store.openOriginal(run.id, -1)).toBeNull()
    expect(await store.openOriginal(run.id, 0.5)).toBeNull()
  })

  it('lists in every sort and order, page by page, filtered by name and labels', async () => {
    const made: [string, string, Record<string, string>][] = [
      ['recursion-py3.11', 'alpha', { branch: 'main', os: 'linux' }],
      ['recursion-py2.7', 'Alpha', { branch: 'main' }],
      ['empty-py3.11', 'beta', { branch: 'dev', os: 'linux' }],
      ['hostile_names-py2.7', 'Ünïcode run', {}],
      ['recursion-profile-py3.11', '100% _done', { os: 'li\u0000nux' }],
      ['recursion-py3.11', 'zeta', { branch: 'main' }],
      ['recursion-py3.11', 'ÄBC', {}],
    ]
    const runs: Run[] = []
    for (const [fixture, name, labels] of made) {
      runs.push(await store.create(await newRun([fixture], { name, labels })))
    }
    for (const sort of ['created', 'name', 'totalTime'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const listed = await listAll(store, { sort, order })
        expect(
          listed.map((run) => run.id),
          `${sort} ${order}`,
        ).toEqual(expectedOrder(runs, sort, order))
        expect(listed).toEqual(expect.arrayContaining(runs))
      }
    }
    const named = async (query: Partial<RunListOptions>) =>
      (await listAll(store, { sort: 'name', order: 'asc', ...query })).map((run) => run.name)
    expect(await named({ q: 'ALP' })).toEqual(expect.arrayContaining(['alpha', 'Alpha']))
    expect(await named({ q: 'ALP' })).toHaveLength(2)
    // Unicode case folding; LIKE's wildcards are plain text.
    expect(await named({ q: 'ÜNÏ' })).toEqual(['Ünïcode run'])
    expect(await named({ q: 'äb' })).toEqual(['ÄBC'])
    expect(await named({ q: '%' })).toEqual(['100% _done'])
    expect(await named({ q: '_' })).toEqual(['100% _done'])
    expect(await named({ q: 'nothing' })).toEqual([])
    expect(new Set(await named({ labels: [['branch', 'main']] }))).toEqual(
      new Set(['alpha', 'Alpha', 'zeta']),
    )
    expect(
      await named({
        labels: [
          ['branch', 'main'],
          ['os', 'linux'],
        ],
      }),
    ).toEqual(['alpha'])
    expect(
      await named({
        labels: [
          ['branch', 'main'],
          ['os', 'mac'],
        ],
      }),
    ).toEqual([])
    expect(await named({ labels: [['os', 'li\u0000nux']] })).toEqual(['100% _done'])
    expect(await named({ labels: [['os', 'li']] })).toEqual([])
    expect(await named({ labels: [['__proto__', 'x']] })).toEqual([])
    expect(await named({ q: 'a', labels: [['os', 'linux']] })).toEqual(['alpha', 'beta'])
    // Paging a filtered listing by one run at a time finds the same runs.
    expect(await listAll(store, { q: 'a', sort: 'totalTime' }, 1)).toEqual(
      await listAll(store, { q: 'a', sort: 'totalTime' }, 100),
    )
  })

  it('renames and annotates a run; unknown ids are null or false', async () => {
    const run = await store.create(await newRun(['recursion-py3.11'], { name: 'before' }))
    const note = '  <script>alert(1)</script>\nline two \u202e🔥\t\u0000 '
    const renamed = await store.update(run.id, { name: 'After \u0000 ünï', note })
    expect(renamed).toEqual({ ...run, name: 'After \u0000 ünï', note })
    expect(await store.get(run.id)).toEqual(renamed)
    expect(await store.update(run.id, {})).toEqual(renamed)
    expect((await listAll(store, { q: 'ÜNÏ' })).map((r) => r.id)).toEqual([run.id])
    expect(await listAll(store, { q: 'before' })).toEqual([])
    const missing = 'AAAAAAAAAAAAAAAAAAAAAA'
    expect(await store.get(missing)).toBeNull()
    expect(await store.update(missing, { name: 'x' })).toBeNull()
    expect(await store.delete(missing)).toBe(false)
    expect(await store.openProfileJson(missing)).toBeNull()
    expect(await store.openOriginal(missing)).toBeNull()
    expect(await store.readStatsTable(missing)).toBeNull()
  })

  it('deletes a run with everything it had', async () => {
    const run = await store.create(
      await newRun(['recursion-py3.11'], {
        extras: { memory: MEMORY, source: SOURCE, environment: null },
      }),
    )
    const kept = await store.create(await newRun(['empty-py3.11']))
    expect(await store.readStatsTable(run.id)).not.toBeNull()
    await store.settle()
    expect(await store.delete(run.id)).toBe(true)
    expect(await store.get(run.id)).toBeNull()
    expect(await store.readStatsTable(run.id)).toBeNull()
    expect(await store.openProfileJson(run.id)).toBeNull()
    expect(await store.openProfileJson(run.id, 'br')).toBeNull()
    expect(await store.openMemory(run.id)).toBeNull()
    expect(await store.readSource(run.id, 'app.py')).toBeNull()
    expect(await store.openOriginal(run.id)).toBeNull()
    expect(await listAll(store)).toEqual([kept])
    expect(await store.delete(run.id)).toBe(false)
    await store.settle()
    expect((await storage.storedNames()).filter((name) => name.includes(run.id))).toEqual([])
  })

  it('loads a stats table once for concurrent requests and keeps it', async () => {
    const run = await store.create(await newRun(['recursion-py3.11']))
    const [a, b] = await Promise.all([store.readStatsTable(run.id), store.readStatsTable(run.id)])
    expect(a).not.toBeNull()
    expect(b).toBe(a)
    expect(await store.readStatsTable(run.id)).toBe(a)
  })

  it('answers the compressed copy once made, and makes a lost one again', async () => {
    const run = await store.create(await newRun(['recursion-py3.11']))
    const golden = await readFile(fixturePath('recursion-py3.11.json'))
    await store.settle()
    const copy = await store.openProfileJson(run.id, 'br')
    expect(copy).not.toBeNull()
    const bytes = await buffer(copy!.stream)
    expect(copy!.size).toBe(bytes.length)
    expect(brotliDecompressSync(bytes)).toEqual(golden)

    await storage.dropCompressedCopy(run.id)
    expect(await store.openProfileJson(run.id, 'br')).toBeNull()
    await store.settle()
    const again = await store.openProfileJson(run.id, 'br')
    expect(brotliDecompressSync(await buffer(again!.stream))).toEqual(golden)
    // The plain document is unaffected.
    expect(await buffer((await store.openProfileJson(run.id))!.stream)).toEqual(golden)
  })

  it('shows nothing of a create that failed, and leaves nothing behind', async () => {
    const kept = await store.create(await newRun(['empty-py3.11']))
    await store.settle()
    const before = await storage.storedNames()
    const upload = await newRun(['recursion-py3.11', 'recursion-py2.7'])
    await rm(upload.files[1]!.path)
    await expect(store.create(upload)).rejects.toThrow()
    expect(await listAll(store)).toEqual([kept])
    expect(await storage.storedNames()).toEqual(before)
  })

  it('makes createdAt strictly increasing in upload order, even for concurrent uploads', async () => {
    const sequential: Run[] = []
    for (let i = 0; i < 4; i += 1) {
      sequential.push(await store.create(await newRun(['empty-py3.11'], { name: `run ${i}` })))
    }
    for (let i = 1; i < sequential.length; i += 1) {
      expect(compareBytes(sequential[i]!.createdAt, sequential[i - 1]!.createdAt)).toBe(1)
    }
    const uploads = await Promise.all([0, 1, 2, 3, 4, 5].map(() => newRun(['empty-py3.11'])))
    const stores = storage.shared ? [store, await storage.open()] : [store]
    const concurrent = await Promise.all(
      uploads.map((upload, i) => stores[i % stores.length]!.create(upload)),
    )
    const all = [...sequential, ...concurrent]
    expect(new Set(all.map((run) => run.createdAt)).size).toBe(all.length)
    expect((await listAll(store, { order: 'asc' }, 100)).map((run) => run.createdAt)).toEqual(
      all.map((run) => run.createdAt).sort(),
    )
  })

  it('is seen at once by every store on the same storage', async () => {
    if (!storage.shared) {
      // One server per DATA_DIR: a store opened again after a close finds the runs.
      const run = await store.create(await newRun(['recursion-py3.11']))
      await store.close()
      const reopened = await storage.open()
      expect(await reopened.get(run.id)).toEqual(run)
      return
    }
    const other = await storage.open()
    const run = await store.create(await newRun(['recursion-py3.11'], { name: 'first' }))
    expect(await other.get(run.id)).toEqual(run)
    expect(await listAll(other)).toEqual([run])
    expect(await other.readStatsTable(run.id)).not.toBeNull()
    const renamed = await other.update(run.id, { name: 'renamed' })
    expect(await store.get(run.id)).toEqual(renamed)
    expect(await store.delete(run.id)).toBe(true)
    expect(await other.get(run.id)).toBeNull()
    expect(await other.readStatsTable(run.id)).toBe(null)
    expect(await other.openProfileJson(run.id)).toBeNull()
  })
})

describe('PgRunStore on its own', () => {
  it('migrates once when servers start together, and refuses a newer schema', async () => {
    const { url, pool } = await testDatabase()
    await Promise.all([openPgStore(url), openPgStore(url), openPgStore(url)])
    const { rows } = await pool.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    )
    expect(rows.map((row) => row.version)).toEqual(
      Array.from({ length: PG_SCHEMA_VERSION }, (_, i) => i + 1),
    )
    await pool.query('INSERT INTO schema_migrations (version) VALUES ($1)', [PG_SCHEMA_VERSION + 1])
    await expect(openPgStore(url)).rejects.toThrow(/newer profhub/)
  })

  it('sweeps the blobs of uploads abandoned long ago, never of recent ones', async () => {
    const { url, pool } = await testDatabase()
    const store = await openPgStore(url)
    const run = await store.create(await newRun(['empty-py3.11']))
    const blobs = new PgBlobs(pool)
    await blobs.putBytes('runs/abandoned/profile.json', Buffer.from('{}'))
    await blobs.putBytes('runs/recent/profile.json', Buffer.from('{}'))
    await pool.query(
      `INSERT INTO pending_runs (id, started_at) VALUES
         ('abandoned', now() - interval '2 hours'), ('recent', now() - interval '5 minutes')`,
    )
    await openPgStore(url)
    expect(await blobs.open('runs/abandoned/profile.json')).toBeNull()
    expect(await blobs.open('runs/recent/profile.json')).not.toBeNull()
    expect((await pool.query('SELECT id FROM pending_runs')).rows).toEqual([{ id: 'recent' }])
    expect(await store.get(run.id)).toEqual(run)
  })

  it('streams a blob of many chunks back byte for byte', async () => {
    const { url, pool } = await testDatabase()
    await openPgStore(url)
    const blobs = new PgBlobs(pool)
    const bytes = randomBytes(PgBlobs.CHUNK_BYTES * 2 + 12345)
    const file = path.join(testDir(), 'big.bin')
    await writeFile(file, bytes)
    await blobs.putFile('runs/x/original.prof', file)
    const chunks = await pool.query('SELECT count(*)::int AS n FROM blob_chunks')
    expect(chunks.rows).toEqual([{ n: 3 }])
    const blob = await blobs.open('runs/x/original.prof')
    expect(blob?.size).toBe(bytes.length)
    // Compared as hashes: a deep equality of megabytes takes seconds.
    expect(sha256(await buffer(blob!.stream))).toBe(sha256(bytes))
    await blobs.deletePrefix('runs/x/')
    expect(await blobs.open('runs/x/original.prof')).toBeNull()
    expect((await pool.query('SELECT count(*)::int AS n FROM blob_chunks')).rows).toEqual([
      { n: 0 },
    ])
  })
})
