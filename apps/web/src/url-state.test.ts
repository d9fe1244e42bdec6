import { describe, expect, it } from 'vitest'
import {
  defaultCompareState,
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
      `/runs/${RUN}?v=2&sort=tottime`,
    )
    expect(urlFromViewState({ ...defaults, sort: { key: 'function', direction: 'asc' } })).toBe(
      `/runs/${RUN}?v=2&sort=function`,
    )
    expect(urlFromViewState({ ...defaults, sort: { key: 'cumtime', direction: 'asc' } })).toBe(
      `/runs/${RUN}?v=2&dir=asc`,
    )
  })

  it('writes the chart state, defaults left out', () => {
    expect(urlFromViewState({ ...defaults, tab: 'sunburst', depth: 10, cutoff: 0.1 })).toBe(
      `/runs/${RUN}`,
    )
    expect(
      urlFromViewState({
        ...defaults,
        tab: 'icicle',
        focus: '1xk3v2.b7f2c',
        depth: 4,
        cutoff: 2.5,
      }),
    ).toBe(`/runs/${RUN}?v=2&tab=icicle&focus=1xk3v2.b7f2c&depth=4&cutoff=2.5`)
    expect(urlFromViewState({ ...defaults, tab: 'table' })).toBe(`/runs/${RUN}?v=2&tab=table`)
  })
})

describe('round trips', () => {
  it.each<[string, Partial<ViewState>]>([
    ['defaults', {}],
    ['table tab', { tab: 'table' }],
    ['icicle tab', { tab: 'icicle' }],
    ['butterfly tab', { tab: 'butterfly' }],
    ['memory tab', { tab: 'memory' }],
    ['focus', { focus: 'abc.0.zzzzzzz' }],
    ['depth', { depth: 1 }],
    ['deepest', { depth: 100 }],
    ['cutoff', { cutoff: 0.05 }],
    ['no cutoff', { cutoff: 0 }],
    ['whole cutoff', { cutoff: 5 }],
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
        tab: 'icicle',
        focus: 'k2l1mm.0b7f2c',
        depth: 7,
        cutoff: 1.25,
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
    ['an unknown sort key', '?v=2&sort=bogus'],
    ['an unknown direction', '?v=2&dir=sideways'],
    ['an unknown tab', '?v=2&tab=flamegraph'],
    ['an empty function', '?v=2&fn='],
    ['a broken version', '?v=banana'],
    ['a zero version', '?v=0'],
    ['unknown parameters', '?v=2&utm_source=mail&compare='],
    ['repeated junk', '?v=2&v=1&sort=&q'],
    ['a negative depth', '?v=2&depth=-3'],
    ['a zero depth', '?v=2&depth=0'],
    ['a depth too deep', '?v=2&depth=101'],
    ['a fractional depth', '?v=2&depth=2.5'],
    ['a cutoff that is not a number', '?v=2&cutoff=NaN'],
    ['a negative cutoff', '?v=2&cutoff=-1'],
    ['a cutoff of everything', '?v=2&cutoff=100'],
    ['a cutoff in exponent notation', '?v=2&cutoff=1e-3'],
    ['an empty cutoff', '?v=2&cutoff='],
    ['a focus with other characters', '?v=2&focus=ab%2Fcd'],
    ['a focus with an empty step', '?v=2&focus=ab..cd'],
    ['a focus step too long', '?v=2&focus=abcdefgh'],
    ['an upper-case focus', '?v=2&focus=ABC'],
    ['an overlong focus', `?v=2&focus=${'a.'.repeat(3000)}a`],
  ])('falls back to defaults for %s', (_label, query) => {
    expect(read(`/runs/${RUN}${query}`)).toEqual(defaults)
  })

  it('keeps the valid parameters next to invalid ones', () => {
    expect(read(`/runs/${RUN}?v=2&sort=tottime&dir=up&q=x`)).toEqual({
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
    expect(read(`/runs/${RUN}?v=2&q=${'x'.repeat(5000)}`).search).toHaveLength(1000)
  })

  it('opens the sunburst when the URL names no tab', () => {
    expect(read(`/runs/${RUN}`).tab).toBe('sunburst')
    expect(read(`/runs/${RUN}?v=2&q=x`).tab).toBe('sunburst')
  })

  it('reads cutoffs written as people write decimals', () => {
    expect(read(`/runs/${RUN}?cutoff=.5`).cutoff).toBe(0.5)
    expect(read(`/runs/${RUN}?cutoff=2.`).cutoff).toBe(2)
    expect(read(`/runs/${RUN}?cutoff=0`).cutoff).toBe(0)
  })

  it('leaves a run page without compare as a run page', () => {
    expect(read(`/runs/${RUN}?v=2&compare=`).compare).toBeNull()
    expect(read(`/runs/${RUN}?v=2&compare=../../etc/passwd`).compare).toBeNull()
    expect(read(`/runs/${RUN}?v=2&compare=short`).compare).toBeNull()
    expect(read(`/runs/${RUN}`).compare).toBeNull()
  })
})

describe('the compare view', () => {
  const OTHER = 'Zz9_-other0123456789xy'
  const compared = defaultCompareState(RUN, OTHER)

  it('lives at /compare/<before>/<after>, its defaults (table, tottime change) left out', () => {
    expect(compared).toMatchObject({
      runId: RUN,
      compare: OTHER,
      tab: 'table',
      compareSort: { key: 'tottime-change', direction: 'desc' },
    })
    expect(urlFromViewState(compared)).toBe(`/compare/${RUN}/${OTHER}`)
    expect(read(`/compare/${RUN}/${OTHER}`)).toEqual(compared)
    expect(read(`/compare/${RUN}/${OTHER}/`)).toEqual(compared)
  })

  it('reads the same state from a run page URL, and writes it as /compare/…', () => {
    const fromRunPage = read(`/runs/${RUN}?v=2&compare=${OTHER}&tab=icicle&q=json`)
    expect(fromRunPage).toEqual({ ...compared, tab: 'icicle', search: 'json' })
    expect(urlFromViewState(fromRunPage)).toBe(`/compare/${RUN}/${OTHER}?v=2&tab=icicle&q=json`)
    // Without a tab, the compare view's default (the table), not the run page's.
    expect(read(`/runs/${RUN}?v=2&compare=${OTHER}`)).toEqual(compared)
    expect(urlFromViewState(read(`/runs/${RUN}?compare=${OTHER}`))).toBe(`/compare/${RUN}/${OTHER}`)
  })

  it('compares a run with itself', () => {
    expect(read(`/compare/${RUN}/${RUN}`)).toEqual(defaultCompareState(RUN, RUN))
  })

  it.each<[string, Partial<ViewState>]>([
    ['defaults', {}],
    ['sunburst tab', { tab: 'sunburst' }],
    ['icicle tab', { tab: 'icicle' }],
    ['sort by ncalls change', { compareSort: { key: 'ncalls-change', direction: 'desc' } }],
    [
      'sort by tottime after, ascending',
      { compareSort: { key: 'tottime-after', direction: 'asc' } },
    ],
    ['sort by label', { compareSort: { key: 'function', direction: 'asc' } }],
    ['default key ascending', { compareSort: { key: 'tottime-change', direction: 'asc' } }],
    [
      'everything at once',
      {
        tab: 'sunburst',
        focus: 'k2l1mm.0b7f2c',
        depth: 4,
        cutoff: 1,
        search: 'loads',
        selected: '/usr/lib/python3.11/json/__init__.py:299:loads',
        compareSort: { key: 'cumtime-before', direction: 'desc' },
      },
    ],
  ])('round-trips %s', (_label, patch) => {
    const state = { ...compared, ...patch }
    expect(roundTrip(state)).toEqual(state)
  })

  it('writes a sort key and direction only when they are not the defaults', () => {
    expect(
      urlFromViewState({ ...compared, compareSort: { key: 'ncalls-change', direction: 'desc' } }),
    ).toBe(`/compare/${RUN}/${OTHER}?v=2&sort=ncalls-change`)
    expect(
      urlFromViewState({ ...compared, compareSort: { key: 'tottime-change', direction: 'asc' } }),
    ).toBe(`/compare/${RUN}/${OTHER}?v=2&dir=asc`)
    expect(urlFromViewState({ ...compared, tab: 'sunburst' })).toBe(
      `/compare/${RUN}/${OTHER}?v=2&tab=sunburst`,
    )
  })

  it('keeps ids that need escaping', () => {
    const state = defaultCompareState('a b/c', 'd?e')
    expect(urlFromViewState(state)).toBe('/compare/a%20b%2Fc/d%3Fe')
    expect(roundTrip(state)).toEqual(state)
  })

  it.each([
    ['an unknown tab', '?v=2&tab=flame'],
    ['a run table sort key', '?v=2&sort=tottime'],
    ['an unknown sort key', '?v=2&sort=bogus'],
    ['a compare in the query (the path says)', `?v=2&compare=${RUN}`],
    ['a link from a newer version', `?v=${URL_VERSION + 1}&tab=icicle&sort=ncalls-change`],
  ])('falls back to defaults for %s', (_label, query) => {
    expect(read(`/compare/${RUN}/${OTHER}${query}`)).toEqual(compared)
  })

  it('has no Memory tab: its memory change is in the header', () => {
    expect(read(`/compare/${RUN}/${OTHER}?v=2&tab=memory`)).toEqual(compared)
  })

  it('keeps the butterfly tab', () => {
    expect(read(`/compare/${RUN}/${OTHER}?v=2&tab=butterfly`)).toEqual({
      ...compared,
      tab: 'butterfly',
    })
  })

  it('routes to the run page, which shows the comparison', () => {
    const route = routeFromUrl(new URL(`/compare/${RUN}/${OTHER}?v=2&q=x`, BASE))
    expect(route).toEqual({ page: 'run', view: { ...compared, search: 'x' } })
    expect(routeFromUrl(new URL(`/compare/${RUN}`, BASE)).page).toBe('not-found')
    expect(routeFromUrl(new URL(`/compare/${RUN}/`, BASE)).page).toBe('not-found')
    expect(routeFromUrl(new URL(`/compare/${RUN}/${OTHER}/x`, BASE)).page).toBe('not-found')
    expect(routeFromUrl(new URL(`/compare/${RUN}/%E0%A4%A`, BASE)).page).toBe('not-found')
  })
})

describe('upgrading v1 URLs', () => {
  it('turns a v1 link without a tab into the table it showed', () => {
    expect(read(`/runs/${RUN}?v=1&sort=tottime&q=fib&fn=%2Fa.py%3A1%3Afib`)).toEqual({
      ...defaults,
      tab: 'table',
      sort: { key: 'tottime', direction: 'desc' },
      search: 'fib',
      selected: '/a.py:1:fib',
    })
    expect(urlFromViewState(read(`/runs/${RUN}?v=1&q=x`))).toBe(`/runs/${RUN}?v=2&tab=table&q=x`)
  })

  it('keeps an explicit v1 tab=table, and reads a tab v1 did not have as v1 did: the table', () => {
    expect(read(`/runs/${RUN}?v=1&tab=table`).tab).toBe('table')
    expect(read(`/runs/${RUN}?v=1&tab=sunburst`).tab).toBe('table')
  })

  it('cannot tell a bare v1 link (all defaults, no query) from a v2 one: it opens the sunburst', () => {
    expect(read(`/runs/${RUN}`).tab).toBe('sunburst')
  })
})

describe('routeFromUrl', () => {
  const route = (path: string) => routeFromUrl(new URL(path, BASE))

  it('maps paths to pages', () => {
    expect(route('/')).toEqual({ page: 'runs' })
    expect(route(`/runs/${RUN}?v=2&q=x`)).toEqual({
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
