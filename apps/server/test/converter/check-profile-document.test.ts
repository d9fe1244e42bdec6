import { readFileSync } from 'node:fs'
import { fixturePath } from '@profhub/fixtures'
import type { ProfileDocument } from '@profhub/profile'
import { describe, expect, it } from 'vitest'
import { findProfileDocumentProblem } from '../../src/converter/check-profile-document.ts'

const golden = JSON.parse(
  readFileSync(fixturePath('recursion-py3.11.json'), 'utf8'),
) as ProfileDocument

describe('findProfileDocumentProblem', () => {
  it('accepts the shim’s output', () => {
    expect(findProfileDocumentProblem(golden)).toBeNull()
  })

  it.each([
    ['not an object', 'profile', /schema/],
    ['a newer format', { ...golden, formatVersion: 2 }, /schema: \/formatVersion/],
    ['a negative time', { ...golden, summary: { ...golden.summary, totalTime: -1 } }, /schema/],
    [
      'a function count that does not match',
      { ...golden, summary: { ...golden.summary, functionCount: 1 } },
      /functionCount is 1 but there are 106/,
    ],
    [
      'an edge to a function that does not exist',
      { ...golden, edges: [...golden.edges, { ...golden.edges[0]!, callee: 106 }] },
      /edges\[\d+\] points outside functions/,
    ],
  ])('rejects %s', (_label, value, problem) => {
    expect(findProfileDocumentProblem(value)).toMatch(problem)
  })
})
