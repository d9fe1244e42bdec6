import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { DataDirInUseError, lockDataDir } from '../../src/runs/data-dir-lock.ts'
import { build } from '../helper.ts'

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'profhub-lock-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  return dir
}

describe('lockDataDir', () => {
  it('refuses a second lock, naming the holder, until the first is released', async () => {
    const dir = await tempDir()
    const first = lockDataDir(dir)
    expect(() => lockDataDir(dir)).toThrow(
      new DataDirInUseError(
        `DATA_DIR ${dir} is in use by another profhub server (pid ${process.pid}). Stop it, or give this one another DATA_DIR.`,
      ),
    )
    first.release()
    lockDataDir(dir).release()
  })

  it('stops a second app on the DATA_DIR before it touches the first one’s uploads', async () => {
    const dir = await tempDir()
    const { app } = await build({}, dir)
    const inFlight = path.join(dir, 'tmp', 'a-receiving.upload')
    await writeFile(inFlight, 'bytes being received')
    await expect(build({}, dir)).rejects.toThrow(/is in use by another profhub server/)
    expect(await readdir(path.join(dir, 'tmp'))).toEqual(['a-receiving.upload'])
    expect((await app.inject('/api/runs')).statusCode).toBe(200)
  })

  it('is released when the app closes', async () => {
    const dir = await tempDir()
    const { app } = await build({}, dir)
    await app.close()
    lockDataDir(dir).release()
  })
})
