import { describe, expect, it } from 'vitest'
import {
  buildProfileDiff,
  computeDiffOrder,
  diffProfiles,
  matchFunctions,
  type ProfileDocument,
} from '@profhub/profile'
import { graphFromStacks } from '@profhub/profile/testing'
import { packKeys, unpackKeys } from './packed-keys.ts'

// Removed, added, moved (one line further down) and unchanged functions, and an untrusted name.
const before = graphFromStacks('main;slow 4\nmain;gone 1\nmain;mv 1\nmain;x\u0000y\u202e 1')
const after: ProfileDocument = (() => {
  const doc = graphFromStacks('main;slow 1\nmain;fresh 2\nmain;mv 1\nmain;x\u0000y\u202e 2')
  return { ...doc, functions: doc.functions.map((f) => (f.name === 'mv' ? { ...f, line: 9 } : f)) }
})()
const keysOf = (doc: Pick<ProfileDocument, 'functions'>) =>
  doc.functions.map(({ file, line, name }) => [file, line, name])

describe('packKeys', () => {
  it('carries every key across, whatever characters a name holds', () => {
    expect(keysOf(unpackKeys(packKeys(after)))).toEqual(keysOf(after))
  })

  it("gives the worker's matching and order: the page builds the same diff from them", () => {
    const [b, a] = [unpackKeys(packKeys(before)), unpackKeys(packKeys(after))]
    const matching = matchFunctions(b, a)
    const built = buildProfileDiff(before, after, matching, computeDiffOrder(b, a, matching))
    expect(built).toEqual(diffProfiles(before, after))
    expect(built.functions.map((row) => `${row.status} ${row.name}`)).toContain('moved mv')
  })
})
