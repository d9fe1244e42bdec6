import { describe, expect, it } from 'vitest'
import {
  DEFAULT_LIST_QUERY,
  isSameListQuery,
  listQueryFromUrl,
  MAX_LABEL_FILTERS,
  MAX_QUERY_LENGTH,
  urlFromListQuery,
  withLabel,
  type ListQuery,
} from './run-list-url.ts'

const read = (path: string) => listQueryFromUrl(new URL(path, 'http://profhub.test'))

describe('the run list URL', () => {
  it('is the bare path for the default list', () => {
    expect(urlFromListQuery(DEFAULT_LIST_QUERY)).toBe('/')
    expect(read('/')).toEqual(DEFAULT_LIST_QUERY)
  })

  it('round-trips every search and sort, leaving defaults out', () => {
    const cases: [ListQuery, string][] = [
      [{ q: 'nightly', sort: 'created', order: 'desc', labels: [] }, '/?q=nightly'],
      [{ q: '', sort: 'created', order: 'asc', labels: [] }, '/?dir=asc'],
      [{ q: '', sort: 'name', order: 'asc', labels: [] }, '/?sort=name'],
      [{ q: '', sort: 'name', order: 'desc', labels: [] }, '/?sort=name&dir=desc'],
      [{ q: 'a b', sort: 'totalTime', order: 'desc', labels: [] }, '/?q=a+b&sort=totalTime'],
      [{ q: '', sort: 'totalTime', order: 'asc', labels: [] }, '/?sort=totalTime&dir=asc'],
    ]
    for (const [query, url] of cases) {
      expect(urlFromListQuery(query)).toBe(url)
      expect(read(url)).toEqual(query)
    }
  })

  it('keeps any text in the search, escaped', () => {
    const q = 'a&b=c?d#e/%20 “ü” \u202e<script>'
    const url = urlFromListQuery({ ...DEFAULT_LIST_QUERY, q })
    expect(url).not.toContain('#')
    expect(read(url)).toEqual({ ...DEFAULT_LIST_QUERY, q })
  })

  it('falls back to the defaults for values it does not know', () => {
    expect(read('/?sort=size&dir=up')).toEqual(DEFAULT_LIST_QUERY)
    expect(read('/?sort=name&dir=sideways')).toEqual({
      q: '',
      sort: 'name',
      order: 'asc',
      labels: [],
    })
    expect(read('/?dir=asc&sort=')).toEqual({ q: '', sort: 'created', order: 'asc', labels: [] })
    expect(read('/?q=%20%20')).toEqual(DEFAULT_LIST_QUERY)
    expect(read('/?q=x&q=y').q).toBe('x')
    expect(read(`/?q=${'x'.repeat(MAX_QUERY_LENGTH + 5)}`).q).toHaveLength(MAX_QUERY_LENGTH)
  })

  it('writes the canonical form of a hand-edited URL', () => {
    expect(urlFromListQuery(read('/?dir=desc&sort=created&q=%20big%20&utm=x'))).toBe('/?q=big')
  })

  it('keeps label filters in order, once each, and drops malformed ones', () => {
    const query: ListQuery = { ...DEFAULT_LIST_QUERY, labels: ['branch=main', 'python=3.13 rc'] }
    const url = urlFromListQuery(query)
    expect(url).toBe('/?label=branch%3Dmain&label=python%3D3.13+rc')
    expect(read(url)).toEqual(query)
    expect(read('/?label=a%3D1&label=a%3D1&label=noequals&label=%3Dv&label=b%3D').labels).toEqual([
      'a=1',
      'b=',
    ])
    const many = Array.from({ length: 15 }, (_, i) => `label=k${i}%3Dv`).join('&')
    expect(read(`/?${many}`).labels).toHaveLength(MAX_LABEL_FILTERS)
    expect(withLabel(['a=1'], 'b=2')).toEqual(['a=1', 'b=2'])
    expect(isSameListQuery(read('/?label=a%3D1'), read('/?label=a%3D2'))).toBe(false)
  })

  it('compares queries by value', () => {
    expect(isSameListQuery(read('/?sort=name'), read('/?dir=asc&sort=name'))).toBe(true)
    expect(isSameListQuery(read('/?sort=name'), read('/?sort=name&dir=desc'))).toBe(false)
  })
})
