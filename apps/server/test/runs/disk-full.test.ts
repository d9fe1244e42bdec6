import { rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fixturePath } from '@profhub/fixtures'
import { describe, expect, it } from 'vitest'
import { build, listDataFiles, upload } from '../helper.ts'
import { mountTmpfs } from '../tmpfs.ts'

// DATA_DIR on a small real tmpfs: writes fail with a real ENOSPC, nothing is mocked.
describe('a full disk', () => {
  it('answers an upload that does not fit with 507 and keeps nothing of it', async () => {
    const dataDir = await mountTmpfs(2)
    const { app } = await build({ MIN_FREE_MB: '0.5' }, dataDir)
    // 3.4 MB on a 2 MB file system.
    const response = await upload(app, fixturePath('large-20k.prof'))
    expect(response.statusCode).toBe(507)
    expect(response.json()).toEqual({
      error: 'Insufficient Storage',
      message: expect.stringMatching(/^The server's disk is full: /),
    })
    expect(await listDataFiles(dataDir)).toEqual([])
    // The space it took is back: a small upload still fits.
    expect((await upload(app, fixturePath('recursion-py3.11.prof'))).statusCode).toBe(201)
    expect((await app.inject('/api/health')).statusCode).toBe(200)
  })

  it('answers 507 when the disk fills while the converter writes the document', async () => {
    // The 3.4 MB upload fits in 6 MB; its 4.2 MB document then does not.
    const dataDir = await mountTmpfs(6)
    const { app } = await build({ MIN_FREE_MB: '0.5' }, dataDir)
    const response = await upload(app, fixturePath('large-20k.prof'))
    expect(response.statusCode).toBe(507)
    expect(response.json()).toEqual({
      error: 'Insufficient Storage',
      message: expect.stringMatching(/^The server's disk is full: /),
    })
    expect(await listDataFiles(dataDir)).toEqual([])
    expect((await upload(app, fixturePath('recursion-py3.11.prof'))).statusCode).toBe(201)
  })

  it('makes /api/health answer 503 while DATA_DIR has less than MIN_FREE_MB free', async () => {
    const dataDir = await mountTmpfs(8)
    const { app } = await build({ MIN_FREE_MB: '4' }, dataDir)
    expect((await app.inject('/api/health')).statusCode).toBe(200)

    const filler = path.join(dataDir, 'filler')
    await writeFile(filler, Buffer.alloc(5 * 1024 * 1024))
    const low = await app.inject('/api/health')
    expect(low.statusCode).toBe(503)
    expect(low.json().message).toMatch(
      /^The server's disk is full: \d+\.\d MB free in DATA_DIR, below MIN_FREE_MB \(4\.0 MB\)/,
    )

    await rm(filler)
    expect((await app.inject('/api/health')).statusCode).toBe(200)
  })
})
