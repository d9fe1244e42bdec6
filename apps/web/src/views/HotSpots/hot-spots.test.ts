import { describe, expect, it } from 'vitest'
import { graphFromStacks } from '@profhub/profile/testing'
import { computeHotSpots } from './hot-spots.ts'

describe('computeHotSpots', () => {
  it('lists the functions with the most own time, heaviest first', () => {
    const doc = graphFromStacks(`
      main;a;read 8
      main;b 3
      main 1
      main;c 0.5
      main;d 0.5
      main;e 0.25
    `)
    const names = (funcs: number[]) => funcs.map((f) => doc.functions[f]!.name)
    expect(names(computeHotSpots(doc.functions))).toEqual(['read', 'b', 'main', 'c', 'd', 'e'])
    expect(names(computeHotSpots(doc.functions, 3))).toEqual(['read', 'b', 'main'])
    // a calls read and has no own time: never a hot spot.
    expect(names(computeHotSpots(doc.functions))).not.toContain('a')
  })

  it('keeps the first of equal functions and matches a full sort on a large list', () => {
    const functions = Array.from({ length: 5000 }, (_, i) => ({
      file: 'x.py',
      line: i,
      name: `f${i}`,
      ncalls: 1,
      primitiveCalls: 1,
      tottime: ((i * 7919) % 1000) / 10,
      cumtime: 100,
    }))
    const sorted = functions
      .map((_, i) => i)
      .filter((i) => functions[i]!.tottime > 0)
      .sort((a, b) => functions[b]!.tottime - functions[a]!.tottime || a - b)
    expect(computeHotSpots(functions)).toEqual(sorted.slice(0, 8))
    expect(computeHotSpots(functions, 1)).toEqual(sorted.slice(0, 1))
  })
})
