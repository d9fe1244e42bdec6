import { readFileSync } from 'node:fs'
import { fixturePath, legacyDocumentPath } from '@profhub/fixtures'
import type { ProfileDocumentV2 } from '@profhub/profile'
import { describe, expect, it } from 'vitest'
import { findProfileDocumentProblem } from '../../src/converter/check-profile-document.ts'

const golden = JSON.parse(
  readFileSync(fixturePath('recursion-py3.11.json'), 'utf8'),
) as ProfileDocumentV2
const { functions, edges, strings } = golden

describe('findProfileDocumentProblem', () => {
  it('accepts the shim’s output', () => {
    expect(findProfileDocumentProblem(golden)).toBeNull()
  })

  it.each([
    ['not an object', 'profile', /schema/],
    ['a newer format', { ...golden, formatVersion: 3 }, /schema: \/formatVersion/],
    [
      'the old format (only the shim of this version writes what is stored)',
      JSON.parse(readFileSync(legacyDocumentPath('recursion-py3.11.v1.json'), 'utf8')),
      /schema/,
    ],
    ['a negative time', { ...golden, summary: { ...golden.summary, totalTime: -1 } }, /schema/],
    [
      'a function count that does not match',
      { ...golden, summary: { ...golden.summary, functionCount: 1 } },
      /functionCount is 1 but there are 106/,
    ],
    [
      'columns of different lengths',
      { ...golden, edges: { ...edges, cumtime: edges.cumtime.slice(1) } },
      /edges.cumtime has \d+ entries but edges.caller \d+/,
    ],
    [
      'an edge to a function that does not exist',
      { ...golden, edges: { ...edges, callee: [...edges.callee.slice(0, -1), 106] } },
      /edges.callee\[\d+\] points outside its table/,
    ],
    [
      'a name that is not in the string table',
      {
        ...golden,
        functions: { ...functions, name: [strings.length, ...functions.name.slice(1)] },
      },
      /functions.name\[0\] points outside its table/,
    ],
  ])('rejects %s', (_label, value, problem) => {
    expect(findProfileDocumentProblem(value)).toMatch(problem)
  })
})
