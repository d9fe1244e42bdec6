import { describe, expect, it } from 'vitest'
import type { SeriesPoint } from '@profhub/api'
import {
  formatPercent,
  functionParts,
  historyCells,
  shortCommit,
  shortenMiddle,
} from './series-text.ts'

describe('formatPercent', () => {
  it('signs the change and rounds it to what a person compares', () => {
    expect(formatPercent(212.4)).toBe('+212 %')
    expect(formatPercent(-45.5)).toBe('-46 %')
    expect(formatPercent(3.21)).toBe('+3.2 %')
    expect(formatPercent(0)).toBe('0 %')
  })

  it('says new when there was nothing before', () => {
    expect(formatPercent(null)).toBe('new')
  })
})

describe('shortCommit', () => {
  it('cuts the commit label to 10 characters', () => {
    expect(shortCommit({ commit: '0123456789abcdef0123456789abcdef01234567' })).toBe('0123456789')
    expect(shortCommit({ commit: 'abc' })).toBe('abc')
  })

  it('is null without a commit label', () => {
    expect(shortCommit({ project: 'x' })).toBeNull()
    expect(shortCommit(undefined)).toBeNull()
    expect(shortCommit({ commit: '' })).toBeNull()
  })
})

describe('shortenMiddle', () => {
  it('leaves short text alone', () => {
    expect(shortenMiddle('/app/a.py:3', 20)).toBe('/app/a.py:3')
  })

  it('cuts the middle, keeping more of the end', () => {
    const cut = shortenMiddle('/very/long/directory/names/here/rules.py:12', 20)
    expect(cut).toBe('/very/l…/rules.py:12')
    expect(Array.from(cut)).toHaveLength(20)
  })

  it('never splits a character in two', () => {
    const cut = shortenMiddle('😀'.repeat(30), 10)
    expect(Array.from(cut)).toHaveLength(10)
    expect(cut.replace(/😀/gu, '')).toBe('…')
  })
})

describe('functionParts', () => {
  it('puts the name first and the place second', () => {
    expect(functionParts({ file: '/app/rules.py', line: 12, name: 'parse' })).toEqual({
      name: 'parse',
      where: '/app/rules.py:12',
    })
  })

  it('names a built-in as pstats does', () => {
    expect(functionParts({ file: '~', line: 0, name: '<built-in method builtins.len>' })).toEqual({
      name: '{built-in method builtins.len}',
      where: 'built-in',
    })
  })
})

describe('historyCells', () => {
  const point: SeriesPoint = {
    runId: 'r1',
    createdAt: '2026-01-01T00:00:00.000Z',
    labels: {},
    name: 'run 1',
    note: '',
    runTotal: 2,
    found: true,
    line: 12,
    ncalls: 60,
    primitiveCalls: 60,
    tottime: 0.25,
    cumtime: 0.5,
    flag: 'slower',
    baseline: 0.1,
  }

  it('gives the numbers, the share of the run and the flag', () => {
    expect(historyCells(point)).toEqual({
      ncalls: '60',
      tottime: '250.0 ms',
      cumtime: '500.0 ms',
      share: '25.0 %',
      flag: 'slower',
    })
  })

  it('says absent, not 0 s, for a run without the function', () => {
    const cells = historyCells({
      ...point,
      found: false,
      tottime: 0,
      cumtime: 0,
      ncalls: 0,
      flag: null,
    })
    expect(cells).toEqual({
      ncalls: 'absent',
      tottime: 'absent',
      cumtime: 'absent',
      share: 'absent',
      flag: '',
    })
  })
})
