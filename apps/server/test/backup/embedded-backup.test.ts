import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { buildCli, CLI_BUNDLE } from '../../../cli/scripts/build.ts'
import { backupDataDir } from '../../../cli/src/backup.ts'
import { useCompiledServers } from '../compiled-server.ts'
import {
  deleteRun,
  expectSameRuns,
  keepUploading,
  readAllRuns,
  seedRuns,
  upload,
} from './restore-check.ts'

// `profhub backup` on the DATA_DIR of a server that keeps storing and deleting runs, then a
// second server started on the copy (the restore: DATA_DIR = the copy).
const startServer = useCompiledServers()

beforeAll(async () => {
  // The command as users run it: bundled (apps/cli/dist), beside its node_modules.
  await buildCli()
})

interface Finished {
  code: number | null
  stderr: string
}

function runBackup(dataDir: string, out: string): { finished: Promise<Finished> } {
  const child = spawn(
    process.execPath,
    [CLI_BUNDLE, 'backup', '--data-dir', dataDir, '--to', out],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return {
    finished: new Promise((resolve, reject) => {
      child.on('error', reject)
      child.on('close', (code) => resolve({ code, stderr }))
    }),
  }
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'profhub-backup-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  return dir
}

describe('profhub backup (embedded store)', () => {
  it('copies a serving DATA_DIR consistently: a server on the copy answers as the original', async () => {
    const work = await tempDir()
    const dataDir = path.join(work, 'data')
    const original = await startServer({ DATA_DIR: dataDir, UPLOAD_RATE_LIMIT: '0' })
    const seeded = await seedRuns(original.url)
    // Deleted while the backup runs: each is either copied whole or left out of the copy.
    const doomed: string[] = []
    for (const file of ['empty-py3.11.prof', 'threads-py2.7.prof', 'sorting-py3.12.prof']) {
      doomed.push(
        (await upload(original.url, { files: [file], mode: 'separate', name: file, truth: file }))
          .id,
      )
    }
    const answers = await readAllRuns(original.url)

    const uploads = keepUploading(original.url)
    await uploads.started
    const required = [...seeded, ...uploads.acknowledged]
    const out = path.join(work, 'backup')
    let ended = false
    const backup = runBackup(dataDir, out)
    const finished = backup.finished.finally(() => (ended = true))
    // The deletes begin once the copy does (its folder is made before the database is copied).
    while (!ended && !(await readdir(work)).some((name) => name.startsWith('backup.partial-'))) {
      await sleep(5)
    }
    for (const id of doomed) await deleteRun(original.url, id)
    const result = await finished
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/^profhub: backed up \d+ runs?\b.*\n$/)
    await uploads.stop()
    for (const [id, answer] of await readAllRuns(original.url)) answers.set(id, answer)

    // Only the data: no lock, pid file, temp folder or WAL of the serving process.
    expect((await readdir(out)).sort()).toEqual(['profhub.sqlite', 'runs'])
    expect((await readdir(work)).filter((name) => name.startsWith('backup.'))).toEqual([])

    const restored = await startServer({ DATA_DIR: out })
    const count = await expectSameRuns(restored.url, answers, required)
    console.info(
      `embedded backup: ${count} runs restored of ${answers.size} seen (${required.length} required, ${uploads.acknowledged.length} uploaded during the backup, ${doomed.length} deleted)`,
    )
  })

  it('copies a stopped server’s DATA_DIR, refuses an existing folder and a folder without a store', async () => {
    const work = await tempDir()
    const dataDir = path.join(work, 'data')
    const original = await startServer({ DATA_DIR: dataDir })
    const seeded = await seedRuns(original.url)
    const answers = await readAllRuns(original.url)
    const stopped = new Promise((resolve) => original.child.on('exit', resolve))
    original.child.kill('SIGTERM')
    await stopped

    const out = path.join(work, 'backup')
    const result = await runBackup(dataDir, out).finished
    expect(result.code, result.stderr).toBe(0)
    const again = await runBackup(dataDir, out).finished
    expect(again).toEqual({
      code: 1,
      stderr: `profhub: ${out} exists: give a new folder to back up into\n`,
    })
    const none = await runBackup(path.join(work, 'nothing'), path.join(work, 'other')).finished
    expect(none.code).toBe(1)
    expect(none.stderr).toMatch(/holds no profhub\.sqlite/)
    expect(existsSync(path.join(work, 'other'))).toBe(false)

    const restored = await startServer({ DATA_DIR: out })
    expect(await expectSameRuns(restored.url, answers, seeded)).toBe(seeded.length)
  })

  it('leaves out a run deleted before its folder is copied, and one deleted after', async () => {
    const work = await tempDir()
    const dataDir = path.join(work, 'data')
    const original = await startServer({ DATA_DIR: dataDir })
    await seedRuns(original.url)
    const answers = await readAllRuns(original.url)
    const ids: string[] = []
    const out = path.join(work, 'backup')
    // Deletes through the server's API at chosen points of the copy: the first run before its
    // folder is copied, the second once it is (as the third is about to be).
    const result = await backupDataDir(dataDir, out, new AbortController().signal, async (id) => {
      ids.push(id)
      if (ids.length === 1) await deleteRun(original.url, ids[0]!)
      if (ids.length === 3) await deleteRun(original.url, ids[1]!)
    })
    const deleted = ids.slice(0, 2)
    expect(result).toMatchObject({ runs: answers.size - 2, dropped: 2 })
    expect((await readdir(path.join(out, 'runs'))).sort()).toEqual(
      [...answers.keys()].filter((id) => !deleted.includes(id)).sort(),
    )
    // Nor is anything kept for them in other tables (series rows, labels: any `run_id`).
    const copy = new Database(path.join(out, 'profhub.sqlite'), { readonly: true })
    try {
      const tables = copy
        .prepare(
          `SELECT m.name AS name FROM sqlite_master m, pragma_table_info(m.name) c
           WHERE m.type = 'table' AND c.name = 'run_id'`,
        )
        .all() as { name: string }[]
      for (const { name } of tables) {
        const left = copy
          .prepare(`SELECT count(*) AS n FROM "${name}" WHERE run_id IN (?, ?)`)
          .get(...deleted) as { n: number }
        expect(left.n, name).toBe(0)
      }
    } finally {
      copy.close()
    }
    const restored = await startServer({ DATA_DIR: out })
    const kept = [...answers.keys()].filter((id) => !deleted.includes(id))
    expect(await expectSameRuns(restored.url, answers, kept)).toBe(kept.length)
  })
})
