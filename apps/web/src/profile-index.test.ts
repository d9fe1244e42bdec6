import { describe, expect, it } from 'vitest'
import type { CallEdge, FunctionStats } from '@profhub/profile'
import { compareEdges, computeProfileIndex, functionKey } from './profile-index.ts'

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
})

describe('compareEdges', () => {
  it('orders by cumulative time, then calls; missing times (profile module) last', () => {
    const list = [edge(0, 1, 5, null), edge(0, 2, 1, 0.5), edge(0, 3, 9, 0.5), edge(0, 4, 50, null)]
    expect(list.sort(compareEdges).map((e) => e.callee)).toEqual([3, 2, 4, 1])
  })
})
