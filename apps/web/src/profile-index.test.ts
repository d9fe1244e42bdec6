import { describe, expect, it } from 'vitest'
import type { CallEdge, FunctionStats } from '@profhub/profile'
import {
  compareEdges,
  computeProfileIndex,
  computeProfileIndexInSteps,
  functionKey,
  type ProfileIndex,
} from './profile-index.ts'

const fn = (file: string, line: number, name: string): FunctionStats => ({
  file,
  line,
  name,
  ncalls: 1,
  primitiveCalls: 1,
  tottime: 0,
  cumtime: 0,
})
const edge = (
  caller: number,
  callee: number,
  ncalls = 1,
  cumtime: number | null = 0,
): CallEdge => ({
  caller,
  callee,
  ncalls,
  primitiveCalls: cumtime === null ? null : ncalls,
  tottime: cumtime,
  cumtime,
})

describe('functionKey', () => {
  it('is file:line:name', () => {
    expect(functionKey(fn('/opt/app/a.py', 7, 'fib'))).toBe('/opt/app/a.py:7:fib')
    expect(functionKey(fn('~', 0, '<built-in method builtins.len>'))).toBe(
      '~:0:<built-in method builtins.len>',
    )
  })

  it('cannot be made ambiguous by colons in the file or the name', () => {
    const a = functionKey(fn('x.py:1', 2, 'y'))
    const b = functionKey(fn('x.py', 1, '2:y'))
    expect(a).toBe('x.py%3A1:2:y')
    expect(b).toBe('x.py:1:2:y')
    expect(functionKey(fn('C:\\app\\%3A.py', 1, 'f'))).toBe('C%3A\\app\\%253A.py:1:f')
  })
})

describe('computeProfileIndex', () => {
  // main → fib, main → len, fib → fib (recursion), fib → len
  const functions = [fn('a.py', 1, 'main'), fn('a.py', 7, 'fib'), fn('~', 0, 'len')]
  const edges = [edge(0, 1), edge(1, 1), edge(0, 2), edge(1, 2)]
  const index = computeProfileIndex({ functions, edges })

  it('maps keys to indexes', () => {
    expect(index.byKey.get('a.py:7:fib')).toBe(1)
    expect(index.byKey.get('a.py:8:fib')).toBeUndefined()
  })

  it('lists callers and callees as edge indexes', () => {
    expect(index.callers).toEqual([[], [0, 1], [2, 3]])
    expect(index.callees).toEqual([[0, 2], [1, 3], []])
  })

  it('skips edges that point outside the function table', () => {
    const broken = computeProfileIndex({ functions, edges: [edge(0, 9), edge(9, 0)] })
    expect(broken.callers).toEqual([[], [], []])
  })

  it('is the same computed in steps of any size, with a clash kept as the first one', () => {
    const clash = [...functions, fn('a.py', 7, 'fib')]
    const all = [...edges, edge(3, 0), edge(0, 3)]
    const whole = computeProfileIndex({ functions: clash, edges: all })
    expect(whole.byKey.get('a.py:7:fib')).toBe(1)
    for (const size of [1, 2, 3, 100]) {
      let stepped: ProfileIndex | undefined
      const steps = computeProfileIndexInSteps({ functions: clash, edges: all }, size, (i) => {
        stepped = i
      })
      expect(steps.length).toBe(Math.ceil(4 / size) + Math.ceil(6 / size) + 1)
      for (const step of steps) step()
      expect(stepped).toEqual(whole)
    }
  })
})

describe('compareEdges', () => {
  it('orders by cumulative time, then calls; missing times (profile module) last', () => {
    const list = [edge(0, 1, 5, null), edge(0, 2, 1, 0.5), edge(0, 3, 9, 0.5), edge(0, 4, 50, null)]
    expect(list.sort(compareEdges).map((e) => e.callee)).toEqual([3, 2, 4, 1])
  })
})
