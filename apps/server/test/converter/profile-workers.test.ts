import { readFile } from 'node:fs/promises'
import { fixturePath, legacyDocumentPath } from '@profhub/fixtures'
import { readProfileDocument, seriesFunctionsOf } from '@profhub/profile'
import { describe, expect, it, onTestFinished } from 'vitest'
import { computeAncestors } from '../../src/converter/ancestors.ts'
import { ProfileWorkers } from '../../src/converter/profile-workers.ts'

/** A stored document's bytes in an ArrayBuffer of their own, as the routes send them. */
async function documentBytes(file: string): Promise<ArrayBuffer> {
  const bytes = await readFile(file)
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer
}

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

  it('works out series rows and callers from stored documents of either version', async () => {
    const workers = new ProfileWorkers(1)
    onTestFinished(() => workers.close())
    for (const file of [
      fixturePath('recursion-py3.11.json'),
      legacyDocumentPath('recursion-py3.11.v1.json'),
    ]) {
      const profile = readProfileDocument(JSON.parse(await readFile(file, 'utf8')))
      const document = await documentBytes(file)
      const series = await workers.run({ kind: 'series', document }, [document])
      expect(series).toEqual({ kind: 'series', series: seriesFunctionsOf(profile.functions) })
      expect(document.byteLength).toBe(0) // transferred, not copied

      const deepest = profile.functions.find((f) => f.name === 'fib') ?? profile.functions.at(-1)!
      const targets = [deepest, { file: 'nowhere.py', line: 1, name: 'f' }].map(
        ({ file, line, name }) => ({ file, line, name }),
      )
      const ancestors = await workers.run({
        kind: 'ancestors',
        document: await documentBytes(file),
        targets,
      })
      const expected = computeAncestors(profile, targets)
      expect(expected[0]!.length).toBeGreaterThan(0)
      expect(expected[1]).toEqual([])
      expect(ancestors).toEqual({ kind: 'ancestors', ancestors: expected })
    }
  })

  it('refuses work once closed', async () => {
    const workers = new ProfileWorkers(1)
    const warmed = workers.warm()
    await workers.close()
    await expect(warmed).rejects.toThrow(/exited|closed/)
    await expect(workers.run({ kind: 'check', path: 'x' })).rejects.toThrow(/closed/)
  })
})
