import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { text } from 'node:stream/consumers'
import { fixturePath } from '@profhub/fixtures'
import Database from 'better-sqlite3'
import Fastify from 'fastify'
import { describe, expect, it, onTestFinished } from 'vitest'
import configPlugin, { parseConfig } from '../../src/plugins/app/config.ts'
import converterPlugin from '../../src/plugins/app/pstats-converter.ts'
import runStorePlugin from '../../src/plugins/app/run-store.ts'

async function tempDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'profhub-store-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** The run-store plugin on a bare Fastify, with the converter to make real documents. */
async function openStore(dataDir: string) {
  const app = Fastify()
  app.register(configPlugin, { config: parseConfig({ DATA_DIR: dataDir }) })
  app.register(converterPlugin)
  app.register(runStorePlugin)
  onTestFinished(() => app.close())
  await app.ready()

  /** What the upload route does: a file in the upload dir, converted, handed to the store. */
  async function createRun(fixture: string, name = fixture) {
    const uploadPath = path.join(app.config.uploadDir, `${Math.random()}.upload`)
    await copyFile(fixturePath(fixture), uploadPath)
    const converted = await app.convertProfile(uploadPath)
    return app.runStore.create({
      name,
      fileName: fixture,
      fileSize: (await readFile(uploadPath)).length,
      uploadPath,
      profile: converted.document,
      profileJson: converted.json,
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
    expect(await store.readProfile(run.id)).toEqual(golden)
    const json = await store.openProfileJson(run.id)
    expect(JSON.parse(await text(json!.stream))).toEqual(golden)
    expect(await store.get(run.id)).toEqual(run)
  })

  it('lists newest first, in upload order even within one millisecond', async () => {
    const { store, createRun } = await openStore(await tempDataDir())
    const ids = []
    for (let i = 0; i < 5; i += 1) ids.push((await createRun('shapes-py3.11.prof', `run ${i}`)).id)

    const first = await store.list(3, null)
    expect(first.runs.map((run) => run.id)).toEqual(ids.toReversed().slice(0, 3))
    const second = await store.list(3, first.next)
    expect(second.runs.map((run) => run.id)).toEqual(ids.toReversed().slice(3))
    expect(second.next).toBeNull()
    const times = first.runs.concat(second.runs).map((run) => run.createdAt)
    expect(new Set(times).size).toBe(5)
  })

  it('renames and deletes', async () => {
    const dataDir = await tempDataDir()
    const { store, createRun } = await openStore(dataDir)
    const run = await createRun('recursion-py3.11.prof')

    expect((await store.rename(run.id, 'renamed'))?.name).toBe('renamed')
    expect(await store.rename('AAAAAAAAAAAAAAAAAAAAAA', 'x')).toBeNull()
    expect(await store.delete(run.id)).toBe(true)
    expect(await store.delete(run.id)).toBe(false)
    expect(await store.get(run.id)).toBeNull()
    expect(await store.readProfile(run.id)).toBeNull()
    expect(await store.openOriginal(run.id)).toBeNull()
    expect(await readdir(path.join(dataDir, 'runs'))).toEqual([])
  })

  it('keeps runs across a restart', async () => {
    const dataDir = await tempDataDir()
    const first = await openStore(dataDir)
    const run = await first.createRun('recursion-py3.11.prof')
    const profile = await first.store.readProfile(run.id)
    await first.app.close()

    const { store } = await openStore(dataDir)
    expect(await store.get(run.id)).toEqual(run)
    expect(await store.readProfile(run.id)).toEqual(profile)
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
    const attempt = store.create({
      name: 'x',
      fileName: 'x.prof',
      fileSize: 1,
      uploadPath: path.join(dataDir, 'tmp', 'never-written.upload'),
      profile: converted.document,
      profileJson: converted.json,
    })

    await expect(attempt).rejects.toThrow(/ENOENT/)
    expect(await readdir(path.join(dataDir, 'runs'))).toEqual([])
    expect((await store.list(10, null)).runs).toEqual([])
  })

  it('refuses a DATA_DIR written by a newer version', async () => {
    const dataDir = await tempDataDir()
    const db = new Database(path.join(dataDir, 'profhub.sqlite'))
    db.pragma('user_version = 99')
    db.close()

    await expect(openStore(dataDir)).rejects.toThrow(/newer profhub/)
  })
})
