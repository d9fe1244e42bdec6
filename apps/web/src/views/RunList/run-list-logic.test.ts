import { describe, expect, it } from 'vitest'
import type { RunSummary } from '@profhub/api'
import {
  ariaSort,
  compareHref,
  countCharacters,
  formatFileList,
  formatNote,
  nextSort,
} from './run-list-logic.ts'
import { DEFAULT_SORT } from '../../run-list-url.ts'

function run(id: string, createdAt: string): RunSummary {
  const summary = { totalTime: 1, totalCalls: 1, primitiveCalls: 1, functionCount: 1 }
  return { id, name: id, createdAt, summary, note: '' }
}

describe('run list sorting', () => {
  it('starts each column in its natural order and toggles the current one', () => {
    expect(nextSort(DEFAULT_SORT, 'name')).toEqual({ sort: 'name', order: 'asc' })
    expect(nextSort(DEFAULT_SORT, 'totalTime')).toEqual({ sort: 'totalTime', order: 'desc' })
    expect(nextSort(DEFAULT_SORT, 'created')).toEqual({ sort: 'created', order: 'asc' })
    expect(nextSort({ sort: 'name', order: 'asc' }, 'name')).toEqual({
      sort: 'name',
      order: 'desc',
    })
    expect(nextSort({ sort: 'name', order: 'desc' }, 'created')).toEqual(DEFAULT_SORT)
  })

  it('marks only the sorted column', () => {
    expect(ariaSort(DEFAULT_SORT, 'created')).toBe('descending')
    expect(ariaSort(DEFAULT_SORT, 'name')).toBe('none')
    expect(ariaSort({ sort: 'name', order: 'asc' }, 'name')).toBe('ascending')
  })
})

describe('compareHref', () => {
  it('puts the older run first, whichever was picked first', () => {
    const old = run('old', '2026-01-01T00:00:00.000Z')
    const recent = run('new', '2026-02-01T00:00:00.000Z')

    expect(compareHref(old, recent)).toBe('/compare/old/new')
    expect(compareHref(recent, old)).toBe('/compare/old/new')
    expect(compareHref(run('b', old.createdAt), run('a', old.createdAt))).toBe('/compare/a/b')
  })
})

describe('formatNote', () => {
  it('keeps line breaks and escapes what could hide or reorder text', () => {
    expect(formatNote('first\r\nsecond\rthird\n\tfourth \u202eevil\u0000')).toBe(
      'first\nsecond\nthird\n\tfourth \\u202eevil\\x00',
    )
    expect(formatNote('<script>alert(1)</script>')).toBe('<script>alert(1)</script>')
  })
})

describe('countCharacters', () => {
  it('counts code points, as the server does', () => {
    expect(countCharacters('🔥🔥')).toBe(2)
    expect(countCharacters('é')).toBe(1)
  })
})

describe('formatFileList', () => {
  it('names one file, or the first and how many more', () => {
    expect(formatFileList(['a.prof'])).toBe('a.prof')
    expect(formatFileList(['a.prof', 'b.prof', 'c.prof'])).toBe('a.prof + 2 more')
  })
})
