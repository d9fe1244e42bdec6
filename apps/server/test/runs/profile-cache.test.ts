import type { ProfileDocument } from '@profhub/profile'
import { describe, expect, it } from 'vitest'
import { ProfileCache } from '../../src/runs/profile-cache.ts'

function documentOfSize(functions: number): ProfileDocument {
  const row = {
    file: 'a.py',
    line: 1,
    name: 'f',
    ncalls: 1,
    primitiveCalls: 1,
    tottime: 0,
    cumtime: 0,
  }
  return {
    formatVersion: 1,
    sourceFormat: 'cProfile',
    pythonVersion: null,
    summary: {
      totalTime: 0,
      totalCalls: functions,
      primitiveCalls: functions,
      functionCount: functions,
    },
    functions: Array.from({ length: functions }, () => row),
    edges: [],
  }
}

describe('ProfileCache', () => {
  it('evicts the least recently used beyond its entry count', () => {
    const cache = new ProfileCache(2, 1000)
    cache.set('a', documentOfSize(1))
    cache.set('b', documentOfSize(1))
    cache.get('a')
    cache.set('c', documentOfSize(1))

    expect(cache.get('a')).toBeDefined()
    expect(cache.get('b')).toBeUndefined()
    expect(cache.get('c')).toBeDefined()
  })

  it('evicts by total size, and never keeps a document bigger than the whole budget', () => {
    const cache = new ProfileCache(8, 10)
    cache.set('a', documentOfSize(6))
    cache.set('b', documentOfSize(6))
    cache.set('huge', documentOfSize(11))

    expect(cache.get('a')).toBeUndefined()
    expect(cache.get('b')).toBeDefined()
    expect(cache.get('huge')).toBeUndefined()
  })

  it('forgets a deleted run', () => {
    const cache = new ProfileCache()
    cache.set('a', documentOfSize(1))
    cache.delete('a')

    expect(cache.get('a')).toBeUndefined()
  })
})
