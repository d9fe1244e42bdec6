import { describe, expect, it } from 'vitest'
import { Compile } from 'typebox/compile'
import { writeProfileDocument, type ProfileDocumentV2, type StatRow } from '@profhub/profile'
import { ProfileDocumentSchema, type ProfileDocumentBody, type Stats } from './index.ts'

// Compile-time: the schema and the model's hand-written types describe the same document.
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
const documentTypesAgree: Equal<ProfileDocumentBody, ProfileDocumentV2> = true
const rowTypesAgree: Equal<Stats['rows'][number], StatRow> = true

const validDocument: ProfileDocumentV2 = writeProfileDocument({
  sourceFormat: 'cProfile',
  pythonVersion: '3.11',
  summary: { totalTime: 0.5, totalCalls: 3, primitiveCalls: 2, functionCount: 2 },
  functions: [
    {
      file: 'a.py',
      line: 1,
      name: 'main',
      ncalls: 1,
      primitiveCalls: 1,
      tottime: 0.1,
      cumtime: 0.5,
    },
    {
      file: 'a.py',
      line: 9,
      name: 'fib',
      ncalls: 2,
      primitiveCalls: 1,
      tottime: 0.4,
      cumtime: 0.4,
    },
  ],
  edges: [{ caller: 0, callee: 1, ncalls: 1, primitiveCalls: 1, tottime: 0.4, cumtime: 0.4 }],
})

describe('ProfileDocumentSchema', () => {
  const validator = Compile(ProfileDocumentSchema)

  it('accepts a well-formed document', () => {
    expect(documentTypesAgree && rowTypesAgree).toBe(true)
    expect(validator.Check(validDocument)).toBe(true)
  })

  it.each([
    ['a newer format version', { ...validDocument, formatVersion: 3 }],
    ['the old format version', { ...validDocument, formatVersion: 1 }],
    ['a negative time', { ...validDocument, summary: { ...validDocument.summary, totalTime: -1 } }],
    ['an unknown source format', { ...validDocument, sourceFormat: 'perf' }],
    [
      'a fractional call count',
      { ...validDocument, edges: { ...validDocument.edges, ncalls: [1.5] } },
    ],
    [
      'a negative string index',
      { ...validDocument, functions: { ...validDocument.functions, name: [-1, 2] } },
    ],
    [
      'an edge time given as text',
      { ...validDocument, edges: { ...validDocument.edges, tottime: ['0.4'] } },
    ],
    ['an extra field', { ...validDocument, html: '<script>' }],
  ])('rejects %s', (_label, document) => {
    expect(validator.Check(document)).toBe(false)
  })
})
