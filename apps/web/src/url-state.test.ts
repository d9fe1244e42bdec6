import { describe, expect, it } from 'vitest'
import {
  defaultViewState,
  routeFromUrl,
  URL_VERSION,
  urlFromViewState,
  viewStateFromUrl,
  type ViewState,
} from './url-state.ts'

const BASE = 'http://localhost:8080'
const read = (pathAndQuery: string) => viewStateFromUrl(new URL(pathAndQuery, BASE))
const roundTrip = (state: ViewState) => read(urlFromViewState(state))

const RUN = 'Ab3_-xYz0123456789abcd'
const defaults = defaultViewState(RUN)

describe('urlFromViewState', () => {
  it('leaves every default out of the URL', () => {
    expect(urlFromViewState(defaults)).toBe(`/runs/${RUN}`)
    expect(urlFromViewState(defaultViewState())).toBe('/')
  })

  it('writes v first whenever there is a query', () => {
    const url = urlFromViewState({ ...defaults, search: 'json' })
    expect(url).toBe(`/runs/${RUN}?v=${URL_VERSION}&q=json`)
  })

  it('writes a direction only when it is not the column default', () => {
    expect(urlFromViewState({ ...defaults, sort: { key: 'tottime', direction: 'desc' } })).toBe(
      `/runs/${RUN}?v=1&sort=tottime`,
    )
    expect(urlFromViewState({ ...defaults, sort: { key: 'function', direction: 'asc' } })).toBe(
      `/runs/${RUN}?v=1&sort=function`,
    )
    expect(urlFromViewState({ ...defaults, sort: { key: 'cumtime', direction: 'asc' } })).toBe(
      `/runs/${RUN}?v=1&dir=asc`,
    )
  })
})

describe('round trips', () => {
  it.each<[string, Partial<ViewState>]>([
    ['defaults', {}],
    ['tab', { tab: 'table' }],
    ['sort by tottime', { sort: { key: 'tottime', direction: 'desc' } }],
    ['sort ascending', { sort: { key: 'ncalls', direction: 'asc' } }],
    ['sort by tottime per call', { sort: { key: 'tottime-percall', direction: 'desc' } }],
    ['sort by cumtime per call', { sort: { key: 'cumtime-percall', direction: 'asc' } }],
    ['sort by label descending', { sort: { key: 'function', direction: 'desc' } }],
    ['default key, other direction', { sort: { key: 'cumtime', direction: 'asc' } }],
    ['search', { search: 'json decoder' }],
    ['search with URL syntax', { search: 'a&b=c?d#e%20 +' }],
    ['selected function', { selected: '/opt/app/recursion.py:7:fib' }],
    ['selected built-in', { selected: '~:0:<built-in method builtins.len>' }],
    ['selected hostile name', { selected: '/x.py:1:evil\n\u0000\u202e<script>' }],
    [
      'everything at once',
      {
        sort: { key: 'tottime', direction: 'asc' },
        search: 'fib',
        selected: '/opt/app/recursion.py:7:fib',
      },
    ],
  ])('%s', (_label, patch) => {
    const state = { ...defaults, ...patch }
    expect(roundTrip(state)).toEqual(state)
  })

  it('keeps run ids that need escaping', () => {
    const state = defaultViewState('a b/c')
    expect(urlFromViewState(state)).toBe('/runs/a%20b%2Fc')
    expect(roundTrip(state).runId).toBe('a b/c')
  })
})

describe('viewStateFromUrl', () => {
  it('reads the run from the path', () => {
    expect(read(`/runs/${RUN}`)).toEqual(defaults)
    expect(read(`/runs/${RUN}/`).runId).toBe(RUN)
    expect(read('/').runId).toBeNull()
  })

  it.each([
    ['an unknown sort key', '?v=1&sort=bogus'],
    ['an unknown direction', '?v=1&dir=sideways'],
    ['an unknown tab', '?v=1&tab=sunburst'],
    ['an empty function', '?v=1&fn='],
    ['a broken version', '?v=banana'],
    ['a zero version', '?v=0'],
    ['unknown parameters', '?v=1&utm_source=mail&focus=x&depth=-3&cutoff=NaN&compare='],
    ['repeated junk', '?v=1&v=2&sort=&q'],
  ])('falls back to defaults for %s', (_label, query) => {
    expect(read(`/runs/${RUN}${query}`)).toEqual(defaults)
  })

  it('keeps the valid parameters next to invalid ones', () => {
    expect(read(`/runs/${RUN}?v=1&sort=tottime&dir=up&q=x`)).toEqual({
      ...defaults,
      sort: { key: 'tottime', direction: 'desc' },
      search: 'x',
    })
  })

  it('reads a hand-written URL without v as the current version', () => {
    expect(read(`/runs/${RUN}?sort=ncalls`).sort).toEqual({ key: 'ncalls', direction: 'desc' })
  })

  it('opens a link from a newer version with the default view, without throwing', () => {
    expect(read(`/runs/${RUN}?v=${URL_VERSION + 1}&sort=ncalls&q=x&fn=a:1:b`)).toEqual(defaults)
    expect(read(`/runs/${RUN}?v=999999999999&sort=ncalls`)).toEqual(defaults)
  })

  it('cuts an overlong search', () => {
    expect(read(`/runs/${RUN}?v=1&q=${'x'.repeat(5000)}`).search).toHaveLength(1000)
  })

  it('reserves the chart and compare fields at their defaults', () => {
    const view = read(`/runs/${RUN}?v=1&focus=a&depth=3&cutoff=0.1&compare=${RUN}`)
    expect([view.focus, view.depth, view.cutoff, view.compare]).toEqual([null, null, null, null])
  })
})

describe('routeFromUrl', () => {
  const route = (path: string) => routeFromUrl(new URL(path, BASE))

  it('maps paths to pages', () => {
    expect(route('/')).toEqual({ page: 'runs' })
    expect(route(`/runs/${RUN}?v=1&q=x`)).toEqual({
      page: 'run',
      view: { ...defaults, search: 'x' },
    })
    expect(route('/runs')).toEqual({ page: 'not-found', pathname: '/runs' })
    expect(route('/runs/')).toEqual({ page: 'not-found', pathname: '/runs/' })
    expect(route(`/runs/${RUN}/extra`).page).toBe('not-found')
    expect(route('/nope').page).toBe('not-found')
  })

  it('treats a malformed escape in the run id as not found', () => {
    expect(route('/runs/%E0%A4%A').page).toBe('not-found')
  })
})
