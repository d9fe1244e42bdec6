import { describe, expect, it } from 'vitest'
import { diffEdges, formatEdgeDiffs } from './diff-edges.ts'
import { diffProfiles } from './diff.ts'
import type { FunctionStats, ProfileDocument } from './pstats.ts'
import { graphFromStacks, withoutEdgeTimes } from './testing.ts'

/** `graphFromStacks` numbers lines by first appearance; this edits functions after the fact. */
function edit(doc: ProfileDocument, change: (f: FunctionStats) => Partial<FunctionStats>) {
  return { ...doc, functions: doc.functions.map((f) => ({ ...f, ...change(f) })) }
}

/** The paired callers and callees of the function named `name` (in after, else in before). */
function edges(
  beforeDoc: string | ProfileDocument,
  afterDoc: string | ProfileDocument,
  name: string,
) {
  const doc = (d: string | ProfileDocument) => (typeof d === 'string' ? graphFromStacks(d) : d)
  const before = doc(beforeDoc)
  const after = doc(afterDoc)
  const diff = diffProfiles(before, after)
  const row = diff.functions.find((f) => f.name === name)!
  const paired = diffEdges(before, after, diff.matching, row)
  return {
    callers: formatEdgeDiffs(before, after, paired.callers),
    callees: formatEdgeDiffs(before, after, paired.callees),
  }
}

describe('diffEdges', () => {
  it('pairs every edge of a run with itself, all changes zero', () => {
    const text = 'main;a;c 2\nmain;b;c 1\nmain;a 0.5'
    expect(edges(text, text, 'c')).toEqual({
      callers: [
        'both a ncalls 1→1 (0) tottime 2→2 (0) cumtime 2→2 (0)',
        'both b ncalls 1→1 (0) tottime 1→1 (0) cumtime 1→1 (0)',
      ],
      callees: [],
    })
    expect(edges(text, text, 'a')).toEqual({
      callers: ['both main ncalls 2→2 (0) tottime 0.5→0.5 (0) cumtime 2.5→2.5 (0)'],
      callees: ['both c ncalls 1→1 (0) tottime 2→2 (0) cumtime 2→2 (0)'],
    })
  })

  it('says which edges are only in one run, and counts their missing side as zero', () => {
    expect(edges('main;a;c 2\nmain;b;c 1', 'main;a;c 0.5\nmain;d;c 3', 'c').callers).toEqual([
      'added d ncalls –→1 (+1) tottime –→3 (+3) cumtime –→3 (+3)',
      'both a ncalls 1→1 (0) tottime 2→0.5 (-1.5) cumtime 2→0.5 (-1.5)',
      'removed b ncalls 1→– (-1) tottime 1→– (-1) cumtime 1→– (-1)',
    ])
  })

  it('pairs an edge whose caller moved to another line', () => {
    const before = graphFromStacks('main;a;c 2')
    const after = edit(graphFromStacks('main;a;c 1'), (f) => (f.name === 'a' ? { line: 40 } : {}))
    expect(edges(before, after, 'c').callers).toEqual([
      'both a ncalls 1→1 (0) tottime 2→1 (-1) cumtime 2→1 (-1)',
    ])
  })

  it('keeps an edge apart when its caller is a different function of the same name', () => {
    // Two `parse` in one file after: which one was the old one cannot be told.
    const before = graphFromStacks('main;parse;c 2')
    const after = edit(graphFromStacks('main;parse;c 1\nmain;x;c 1'), (f) =>
      f.name === 'x' ? { name: 'parse', line: 30 } : f.name === 'parse' ? { line: 20 } : {},
    )
    expect(edges(before, after, 'c').callers).toEqual([
      'removed parse ncalls 1→– (-1) tottime 2→– (-2) cumtime 2→– (-2)',
      'added parse ncalls –→1 (+1) tottime –→1 (+1) cumtime –→1 (+1)',
      'added parse ncalls –→1 (+1) tottime –→1 (+1) cumtime –→1 (+1)',
    ])
  })

  it('puts every edge of a function missing from one run on the other side', () => {
    expect(edges('main;a;c 2', 'main;a 1', 'c').callers).toEqual([
      'removed a ncalls 1→– (-1) tottime 2→– (-2) cumtime 2→– (-2)',
    ])
    expect(edges('main;a 1', 'main;a;c 2', 'c').callers).toEqual([
      'added a ncalls –→1 (+1) tottime –→2 (+2) cumtime –→2 (+2)',
    ])
    expect(edges('main;a 1', 'main;a;c 2', 'a').callees).toEqual([
      'added c ncalls –→1 (+1) tottime –→2 (+2) cumtime –→2 (+2)',
    ])
  })

  it('pairs a recursive call with itself', () => {
    const text = 'main;f;f;f 3\nmain;f 1'
    expect(edges(text, 'main;f;f 1', 'f')).toEqual({
      callers: [
        'both main ncalls 2→1 (-1) tottime 1→0 (-1) cumtime 4→1 (-3)',
        'both f ncalls 2→1 (-1) tottime 3→1 (-2) cumtime 3→1 (-2)',
      ],
      callees: ['both f ncalls 2→1 (-1) tottime 3→1 (-2) cumtime 3→1 (-2)'],
    })
  })

  it('has no time change where a run recorded call counts only (the profile module)', () => {
    const before = withoutEdgeTimes(graphFromStacks('main;a 2\nmain;a 1'))
    const after = graphFromStacks('main;a 1')
    expect(edges(before, after, 'a').callers).toEqual([
      'both main ncalls 2→1 (-1) tottime ?→1 (?) cumtime ?→1 (?)',
    ])
  })
})
