import { fixturePath, legacyDocumentPath } from '@profhub/fixtures'
import { describe, expect, it, onTestFinished } from 'vitest'
import { ProfileWorkers } from '../../src/converter/profile-workers.ts'

describe('ProfileWorkers', () => {
  it('checks a document and builds a stats table, in a worker started ahead of need', async () => {
    const workers = new ProfileWorkers(1)
    onTestFinished(() => workers.close())
    const warmed = workers.warm()
    expect(workers.warm()).toBe(warmed) // a second call starts nothing more
    await warmed // the worker has loaded: it answered
    await workers.whenWarm()

    const checked = await workers.run({ kind: 'check', path: fixturePath('recursion-py3.11.json') })
    expect(checked).toMatchObject({ kind: 'checked', meta: { sourceFormat: 'cProfile' } })
    const table = await workers.run({
      kind: 'table',
      path: legacyDocumentPath('recursion-py3.11.v1.json'),
    })
    expect(table.kind === 'table' && table.columns.names.length).toBe(106)
  })

  it('says what is wrong with a document that is not one', async () => {
    const workers = new ProfileWorkers(1)
    onTestFinished(() => workers.close())
    const answer = await workers.run({
      kind: 'check',
      path: legacyDocumentPath('recursion-py3.11.v1.json'),
    })
    expect(answer).toMatchObject({ kind: 'invalid', problem: expect.stringMatching(/^schema/) })
    const missing = await workers.run({ kind: 'table', path: '/nonexistent/profile.json' })
    expect(missing).toEqual({ kind: 'missing' })
  })

  it('refuses work once closed', async () => {
    const workers = new ProfileWorkers(1)
    const warmed = workers.warm()
    await workers.close()
    await expect(warmed).rejects.toThrow(/exited|closed/)
    await expect(workers.run({ kind: 'check', path: 'x' })).rejects.toThrow(/closed/)
  })
})
