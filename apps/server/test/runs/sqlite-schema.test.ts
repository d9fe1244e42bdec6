import { readFileSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fixturePath } from '@profhub/fixtures'
import Database from 'better-sqlite3'
import { describe, expect, it, onTestFinished } from 'vitest'
import { SCHEMA_VERSION } from '../../src/runs/sqlite-schema.ts'
import { build } from '../helper.ts'
import { SCHEMA_2_SQL, SCHEMA_3_SQL } from './old-schemas.ts'

const OLD_RUN = {
  id: 'DDDDDDDDDDDDDDDDDDDDDD',
  summary: { totalTime: 0.5, totalCalls: 7, primitiveCalls: 7, functionCount: 4 },
}

/** A DATA_DIR as schema version 2 (or 3, with labels) wrote it, with one run. */
async function writeOldDataDir(version: 2 | 3 = 2): Promise<string> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'profhub-schema-'))
  onTestFinished(() => rm(dataDir, { recursive: true, force: true }))
  await mkdir(path.join(dataDir, 'runs', OLD_RUN.id), { recursive: true })
  await copyFile(
    fixturePath('recursion-py3.11.prof'),
    path.join(dataDir, 'runs', OLD_RUN.id, 'original.prof'),
  )
  const db = new Database(path.join(dataDir, 'profhub.sqlite'))
  db.exec(version === 2 ? SCHEMA_2_SQL : SCHEMA_3_SQL)
  db.prepare(
    `INSERT INTO runs VALUES (?, 'from schema 2', '2026-02-03T04:05:06.789Z', 'cProfile', ?,
       'old.prof', 1234, '3.12', 'a note', '[{"fileName":"old.prof","fileSize":1234}]', 0.5
       ${version === 3 ? `, '{"branch":"old"}'` : ''})`,
  ).run(OLD_RUN.id, JSON.stringify(OLD_RUN.summary))
  db.pragma(`user_version = ${version}`)
  db.close()
  return dataDir
}

describe("the embedded store's schema", () => {
  it('upgrades a version 2 DATA_DIR: old runs have no labels, new ones keep theirs', async () => {
    const dataDir = await writeOldDataDir()
    const { app } = await build({}, dataDir)

    expect((await app.inject(`/api/runs/${OLD_RUN.id}`)).json()).toEqual({
      id: OLD_RUN.id,
      name: 'from schema 2',
      createdAt: '2026-02-03T04:05:06.789Z',
      sourceFormat: 'cProfile',
      summary: OLD_RUN.summary,
      source: {
        fileName: 'old.prof',
        fileSize: 1234,
        pythonVersion: '3.12',
        files: [{ fileName: 'old.prof', fileSize: 1234 }],
      },
      note: 'a note',
      labels: {},
      environment: {
        formatVersion: 1,
        python: { version: '3.12' },
        profiler: { name: 'cProfile' },
        guessed: true,
      },
      hasMemory: false,
      sourceFiles: [],
    })
    const form = new FormData()
    form.append('label', 'after=upgrade')
    const file = 'shapes-py3.11.prof'
    form.append('file', new Blob([readFileSync(fixturePath(file))]), file)
    const created = await app.inject({ method: 'POST', url: '/api/runs', payload: form })
    expect(created.json().labels).toEqual({ after: 'upgrade' })
    const listed = (await app.inject('/api/runs')).json().runs
    expect(listed.map((run: { labels: object }) => run.labels)).toEqual([{ after: 'upgrade' }, {}])
    await app.close()

    const db = new Database(path.join(dataDir, 'profhub.sqlite'), { readonly: true })
    onTestFinished(() => {
      db.close()
    })
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
  })

  it('upgrades a version 3 DATA_DIR: old runs get a guessed environment, no memory or source', async () => {
    const dataDir = await writeOldDataDir(3)
    const { app } = await build({}, dataDir)

    const old = (await app.inject(`/api/runs/${OLD_RUN.id}`)).json()
    expect(old).toMatchObject({
      labels: { branch: 'old' },
      environment: {
        formatVersion: 1,
        python: { version: '3.12' },
        profiler: { name: 'cProfile' },
        guessed: true,
      },
      hasMemory: false,
      sourceFiles: [],
    })
    expect((await app.inject(`/api/runs/${OLD_RUN.id}/memory`)).statusCode).toBe(404)
    const source = await app.inject(`/api/runs/${OLD_RUN.id}/source?file=old.py`)
    expect(source.json().message).toMatch(/source was not uploaded/)
    expect((await app.inject('/api/runs?label=branch=old')).json().runs).toHaveLength(1)
    await app.close()

    const db = new Database(path.join(dataDir, 'profhub.sqlite'), { readonly: true })
    onTestFinished(() => {
      db.close()
    })
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    expect(SCHEMA_VERSION).toBe(5)
  })
})
