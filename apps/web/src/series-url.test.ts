import { describe, expect, it } from 'vitest'
import {
  compareFunctionUrl,
  runFunctionUrl,
  seriesFunctionUrl,
  seriesLabelsOf,
  seriesRouteFromUrl,
  seriesUrl,
} from './series-url.ts'
import { routeFromUrl } from './url-state.ts'

const BASE = 'http://localhost:8080'
const route = (pathAndQuery: string) => routeFromUrl(new URL(pathAndQuery, BASE))

describe('series URLs', () => {
  it('name the series by its label, escaped', () => {
    expect(seriesUrl('project=rasa-policy')).toBe('/series?label=project%3Drasa-policy')
    expect(seriesUrl('branch=a&b c')).toBe('/series?label=branch%3Da%26b+c')
  })

  it('round-trip a series and a function, however odd their text', () => {
    expect(route(seriesUrl('branch=a&b c'))).toEqual({ page: 'series', label: 'branch=a&b c' })
    const fn = { file: '/app/ru les?.py', line: 12, name: '<listcomp>' }
    expect(route(seriesFunctionUrl('project=x', fn))).toEqual({
      page: 'series-function',
      label: 'project=x',
      fn,
    })
  })

  it('give a function URL with a part missing or a bad line no function', () => {
    expect(route('/series/function?label=p%3Dx&file=a.py&line=x&name=f')).toEqual({
      page: 'series-function',
      label: 'p=x',
      fn: null,
    })
    expect(route('/series/function?label=p%3Dx&file=a.py&line=3')).toMatchObject({ fn: null })
  })

  it('leave a missing label empty (the page says what is wrong)', () => {
    expect(route('/series')).toEqual({ page: 'series', label: '' })
  })

  it('are not other paths', () => {
    expect(seriesRouteFromUrl(new URL('/series/other', BASE))).toBeNull()
    expect(route('/seriesx')).toEqual({ page: 'not-found', pathname: '/seriesx' })
  })
})

describe('seriesLabelsOf', () => {
  it('offers project first, else branch, else the first label', () => {
    expect(seriesLabelsOf({ os: 'linux', project: 'p', branch: 'main' })).toEqual([
      'project=p',
      'os=linux',
      'branch=main',
    ])
    expect(seriesLabelsOf({ os: 'linux', branch: 'main' })).toEqual(['branch=main', 'os=linux'])
    expect(seriesLabelsOf({ suite: 'a', os: 'linux' })).toEqual(['suite=a', 'os=linux'])
  })

  it('leaves out the labels that name one run (commit, commit-time)', () => {
    expect(
      seriesLabelsOf({ commit: 'abc', 'commit-time': '2026-01-01T00:00:00Z', branch: 'main' }),
    ).toEqual(['branch=main'])
    expect(seriesLabelsOf({ commit: 'abc' })).toEqual([])
  })

  it('is empty without labels', () => {
    expect(seriesLabelsOf({})).toEqual([])
    expect(seriesLabelsOf(undefined)).toEqual([])
  })
})

describe('runFunctionUrl and compareFunctionUrl', () => {
  const fn = { file: '/p/a:b%.py', line: 12, name: 'parse' }
  it('open the run (or the two runs) with the function selected', () => {
    const run = routeFromUrl(new URL(runFunctionUrl('r1', fn), 'http://x'))
    expect(run).toMatchObject({
      page: 'run',
      view: { runId: 'r1', selected: '/p/a%3Ab%25.py:12:parse' },
    })
    const compare = routeFromUrl(new URL(compareFunctionUrl('r0', 'r1', fn), 'http://x'))
    expect(compare).toMatchObject({ view: { selected: '/p/a%3Ab%25.py:12:parse' } })
  })
})
