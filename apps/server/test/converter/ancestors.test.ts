import type { CallEdge, FunctionStats } from '@profhub/profile'
import { describe, expect, it } from 'vitest'
import { computeAncestors, type FunctionRef } from '../../src/converter/ancestors.ts'

/** A profile from `caller > callee` lines; functions are named by their text (file `app.py`). */
function profileOf(calls: string[]): { functions: FunctionStats[]; edges: CallEdge[] } {
  const names: string[] = []
  const indexOf = (name: string) => {
    if (!names.includes(name)) names.push(name)
    return names.indexOf(name)
  }
  const edges = calls.map((call) => {
    const [caller, callee] = call.split(' > ') as [string, string]
    return {
      caller: indexOf(caller),
      callee: indexOf(callee),
      ncalls: 1,
      primitiveCalls: 1,
      tottime: 0,
      cumtime: 0,
    }
  })
  indexOf('lonely')
  const functions = names.map((name) => ({
    ...fn(name),
    ncalls: 1,
    primitiveCalls: 1,
    tottime: 0,
    cumtime: 0,
  }))
  return { functions, edges }
}

const fn = (name: string): FunctionRef => ({ file: 'app.py', line: name.length, name })
const names = (lists: FunctionRef[][]) => lists.map((list) => list.map((f) => f.name).join(' '))

describe('computeAncestors', () => {
  const profile = profileOf([
    'main > a',
    'main > b',
    'a > c',
    'b > c',
    'c > c', // recursion
    'b > dd', // a cycle: b > dd > b
    'dd > b',
    'a > eee',
  ])

  it('lists every caller, direct ones first, each once, never the target', () => {
    expect(names(computeAncestors(profile, [fn('c'), fn('b'), fn('eee'), fn('main')]))).toEqual([
      'a b main dd',
      'main dd',
      'a main',
      '',
    ])
  })

  it('answers [] for a function the profile does not have (exact file, line and name)', () => {
    const targets = [
      { ...fn('c'), line: 99 },
      { ...fn('c'), file: 'other.py' },
      { ...fn('c'), name: 'C' },
      fn('lonely'),
    ]
    expect(computeAncestors(profile, targets)).toEqual([[], [], [], []])
    expect(computeAncestors(profile, [])).toEqual([])
  })

  it('answers the functions as the profile names them', () => {
    expect(computeAncestors(profile, [fn('eee')])).toEqual([[fn('a'), fn('main')]])
  })
})
