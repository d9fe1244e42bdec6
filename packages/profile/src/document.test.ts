import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { fixturePath, legacyDocumentPath, listProfiles, runShim } from '@profhub/fixtures'
import {
  FORMAT_VERSION,
  readProfileDocument,
  UnsupportedFormatError,
  writeProfileDocument,
  type ProfileDocumentV2,
} from './document.ts'

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as ProfileDocumentV2

describe('readProfileDocument', () => {
  it('reads the columns into one object per function and edge', () => {
    const doc = readProfileDocument(readJson(fixturePath('recursion-profile-py3.11.json')))
    expect(doc.functions).toHaveLength(doc.summary.functionCount)
    const printed = doc.functions.find((fn) => fn.name === 'print')
    expect(printed).toMatchObject({ file: '', line: 0, ncalls: expect.any(Number) as number })
    // the `profile` module records call counts only: null, not 0, for the rest
    expect(doc.edges[0]).toMatchObject({ primitiveCalls: null, tottime: null, cumtime: null })
  })

  it('upgrades a document stored in formatVersion 1 to the same profile', () => {
    for (const name of ['recursion-py3.11', 'recursion-profile-py3.11']) {
      const v1 = readJson(legacyDocumentPath(`${name}.v1.json`))
      const v2 = readJson(fixturePath(`${name}.json`))
      expect(readProfileDocument(v1)).toEqual(readProfileDocument(v2))
    }
  })

  it.each([0, 3, '2', undefined])('refuses formatVersion %j', (formatVersion) => {
    expect(() => readProfileDocument({ formatVersion })).toThrow(UnsupportedFormatError)
  })
})

describe('writeProfileDocument', () => {
  it.each(listProfiles())('writes exactly what the shim wrote for %s', async (name) => {
    const { stdout } = await runShim(fixturePath(name))
    const written = JSON.parse(stdout) as ProfileDocumentV2
    expect(written.formatVersion).toBe(FORMAT_VERSION)
    expect(writeProfileDocument(readProfileDocument(written))).toEqual(written)
  })
})
