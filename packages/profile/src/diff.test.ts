import { describe, expect, it } from 'vitest'
import { convertFixture, readSummary } from '@profhub/fixtures'
import { buildCallTree } from './call-tree.ts'
import {
  diffCallTrees,
  diffProfiles,
  formatDiffTree,
  formatFunctionDiffs,
  nodeChange,
  type FunctionDiff,
} from './diff.ts'
import type { FunctionStats, ProfileDocument } from './pstats.ts'
import { graphFromStacks } from './testing.ts'

/** `graphFromStacks` numbers lines by first appearance; this edits functions after the fact. */
function edit(doc: ProfileDocument, change: (f: FunctionStats) => Partial<FunctionStats>) {
  return { ...doc, functions: doc.functions.map((f) => ({ ...f, ...change(f) })) }
}

const rows = (before: string | ProfileDocument, after: string | ProfileDocument) => {
  const doc = (d: string | ProfileDocument) => (typeof d === 'string' ? graphFromStacks(d) : d)
  return formatFunctionDiffs(diffProfiles(doc(before), doc(after)).functions)
}

const trees = (before: string, after: string) =>
  formatDiffTree(
    diffCallTrees(buildCallTree(graphFromStacks(before)), buildCallTree(graphFromStacks(after))),
  )

describe('diffProfiles', () => {
  it('matches every function of a run with itself, all changes zero', () => {
    const doc = graphFromStacks('main;a 1\nmain;b;c 2')
    const diff = diffProfiles(doc, doc)
    expect(formatFunctionDiffs(diff.functions)).toEqual([
      'both t.py:1(main) ncalls 2→2 (0) tottime 0→0 (0) cumtime 3→3 (0)',
      'both t.py:2(a) ncalls 1→1 (0) tottime 1→1 (0) cumtime 1→1 (0)',
      'both t.py:3(b) ncalls 1→1 (0) tottime 0→0 (0) cumtime 2→2 (0)',
      'both t.py:4(c) ncalls 1→1 (0) tottime 2→2 (0) cumtime 2→2 (0)',
    ])
    expect(diff.summary.totalTime).toEqual({ before: 3, after: 3, change: 0, percent: 0 })
  })

  it('shows a function only in after as added and one only in before as removed', () => {
    expect(rows('main;a 1\nmain;b 2', 'main;a 0.5\nmain;c 3')).toEqual([
      'both t.py:1(main) ncalls 2→2 (0) tottime 0→0 (0) cumtime 3→3.5 (+0.5)',
      'both t.py:2(a) ncalls 1→1 (0) tottime 1→0.5 (-0.5) cumtime 1→0.5 (-0.5)',
      'removed t.py:3(b) ncalls 1→– (-1) tottime 2→– (-2) cumtime 2→– (-2)',
      'added t.py:3(c) ncalls –→1 (+1) tottime –→3 (+3) cumtime –→3 (+3)',
    ])
  })

  it('summarizes the change, in percent of before', () => {
    const diff = diffProfiles(
      graphFromStacks('main;a 3\nmain;a 1'),
      graphFromStacks('main;a 1\nmain;b 1'),
    )
    expect(diff.summary).toEqual({
      totalTime: { before: 4, after: 2, change: -2, percent: -50 },
      totalCalls: { before: 4, after: 4, change: 0, percent: 0 },
      primitiveCalls: { before: 4, after: 4, change: 0, percent: 0 },
      functionCount: { before: 2, after: 3, change: 1, percent: 50 },
    })
    // From nothing, a change has no percent.
    expect(diffProfiles(graphFromStacks(''), graphFromStacks('main 1')).summary.totalTime).toEqual({
      before: 0,
      after: 1,
      change: 1,
      percent: null,
    })
  })

  it('keeps total and primitive calls apart for recursive functions', () => {
    expect(rows('main;fib;fib;fib 3\nmain;fib 1', 'main;fib;fib 1\nmain;fib 1')).toEqual([
      'both t.py:1(main) ncalls 2→2 (0) tottime 0→0 (0) cumtime 4→2 (-2)',
      'both t.py:2(fib) ncalls 4/2→3/2 (-1) tottime 4→2 (-2) cumtime 4→2 (-2)',
    ])
    const diff = diffProfiles(
      graphFromStacks('main;fib;fib;fib 3\nmain;fib 1'),
      graphFromStacks('main;fib;fib 1\nmain;fib 1'),
    )
    expect(diff.functions[1]!.primitiveCalls).toEqual({ before: 2, after: 2, change: 0 })
  })

  it('matches a function that moved to another line of its file, showing both lines', () => {
    // A new function `x` above `a` and `b` pushes them one line down.
    expect(rows('main;a 1\nmain;b 2', 'main;x 0.5\nmain;a 1\nmain;b 1')).toEqual([
      'both t.py:1(main) ncalls 2→3 (+1) tottime 0→0 (0) cumtime 3→2.5 (-0.5)',
      'added t.py:2(x) ncalls –→1 (+1) tottime –→0.5 (+0.5) cumtime –→0.5 (+0.5)',
      'moved t.py:2→3(a) ncalls 1→1 (0) tottime 1→1 (0) cumtime 1→1 (0)',
      'moved t.py:3→4(b) ncalls 1→1 (0) tottime 2→1 (-1) cumtime 2→1 (-1)',
    ])
    const diff = diffProfiles(
      graphFromStacks('main;a 1\nmain;b 2'),
      graphFromStacks('main;x 0.5\nmain;a 1\nmain;b 1'),
    )
    expect(diff.functions[2]).toMatchObject<Partial<FunctionDiff>>({
      status: 'moved',
      lineBefore: 2,
      lineAfter: 3,
      beforeIndex: 1,
      afterIndex: 2,
    })
  })

  it('does not guess when a moved function is ambiguous', () => {
    // Two unmatched `parse` in one file on a side: which became which cannot be told.
    const before = edit(graphFromStacks('main;p 1\nmain;q 2'), (f) =>
      f.name === 'main' ? {} : { name: 'parse', line: f.name === 'p' ? 10 : 20 },
    )
    const after = edit(graphFromStacks('main;p 1\nmain;q 2'), (f) =>
      f.name === 'main' ? {} : { name: 'parse', line: f.name === 'p' ? 11 : 21 },
    )
    expect(rows(before, after).map((line) => line.split(' ').slice(0, 2).join(' '))).toEqual([
      'both t.py:1(main)',
      'removed t.py:10(parse)',
      'added t.py:11(parse)',
      'removed t.py:20(parse)',
      'added t.py:21(parse)',
    ])
    // One left on a side and two on the other: ambiguous too.
    const one = edit(graphFromStacks('main;p 1'), (f) =>
      f.name === 'main' ? {} : { name: 'parse', line: 15 },
    )
    expect(rows(before, one).map((line) => line.split(' ')[0])).toEqual([
      'both',
      'removed',
      'added',
      'removed',
    ])
  })

  it('matches an unchanged key before looking for moves', () => {
    // `f` stays at line 2; the other `f` moved from 5 to 9: exact first, then the move.
    const before = edit(graphFromStacks('main;f 1\nmain;g 1'), (f) =>
      f.name === 'g' ? { name: 'f', line: 5 } : {},
    )
    const after = edit(graphFromStacks('main;f 1\nmain;g 3'), (f) =>
      f.name === 'g' ? { name: 'f', line: 9 } : {},
    )
    expect(rows(before, after)).toEqual([
      'both t.py:1(main) ncalls 2→2 (0) tottime 0→0 (0) cumtime 2→4 (+2)',
      'both t.py:2(f) ncalls 1→1 (0) tottime 1→1 (0) cumtime 1→1 (0)',
      'moved t.py:5→9(f) ncalls 1→1 (0) tottime 1→3 (+2) cumtime 1→3 (+2)',
    ])
  })

  it('shows a renamed function as removed and added: names are never matched fuzzily', () => {
    expect(rows('main;parse_rules 2', 'main;parse 1')).toEqual([
      'both t.py:1(main) ncalls 1→1 (0) tottime 0→0 (0) cumtime 2→1 (-1)',
      'added t.py:2(parse) ncalls –→1 (+1) tottime –→1 (+1) cumtime –→1 (+1)',
      'removed t.py:2(parse_rules) ncalls 1→– (-1) tottime 2→– (-2) cumtime 2→– (-2)',
    ])
  })

  it('matches built-ins whose names differ only by a memory address, when unambiguous', () => {
    const at = (doc: ProfileDocument, address: string, other: string) =>
      edit(doc, (f) =>
        f.name === 'new'
          ? { file: '~', line: 0, name: `<built-in method __new__ of type object at ${address}>` }
          : f.name === 'fn'
            ? { file: '~', line: 0, name: `<function f at ${other}>` }
            : {},
      )
    const before = at(graphFromStacks('main;new 1\nmain;fn 1'), '0x7f508de5ea00', '0x1')
    const after = at(graphFromStacks('main;new 2\nmain;fn 1'), '0x7fa236a5ea00', '0x2')
    expect(rows(before, after)).toEqual([
      'both t.py:1(main) ncalls 2→2 (0) tottime 0→0 (0) cumtime 2→3 (+1)',
      'both ~:0(<built-in method __new__ of type object at 0x7fa236a5ea00>) ncalls 1→1 (0) tottime 1→2 (+1) cumtime 1→2 (+1)',
      'both ~:0(<function f at 0x2>) ncalls 1→1 (0) tottime 1→1 (0) cumtime 1→1 (0)',
    ])
  })

  it('keeps names with any characters apart', () => {
    // Keys are built so that no file/name split can collide with another.
    const before = edit(graphFromStacks('main;a 1'), (f) =>
      f.name === 'a' ? { file: 'x', name: 'y:z' } : {},
    )
    const after = edit(graphFromStacks('main;a 1'), (f) =>
      f.name === 'a' ? { file: 'x:y', name: 'z' } : {},
    )
    expect(rows(before, after).map((line) => line.split(' ')[0])).toEqual([
      'both',
      'removed',
      'added',
    ])
  })
})

describe('diffCallTrees', () => {
  it('pairs nodes by call path and gives each its signed change; a new path is all new', () => {
    expect(trees('main;a;c 4\nmain;b 2', 'main;a;c 1\nmain;a;d 2\nmain;b 2')).toEqual([
      '- main 5 (-1)',
      '  - a 3 (-1)',
      '    - d 2 (new)',
      '    - c 1 (-3)',
      '  - b 2 (0)',
    ])
  })

  it('pairs a function by call path, not by where else it is called', () => {
    // c moved from under a to under b: its node under b is new, a got faster.
    expect(trees('main;a;c 4\nmain;b 1', 'main;a 1\nmain;b;c 4\nmain;b 1')).toEqual([
      '- main 6 (+1)',
      '  - b 5 (+4)',
      '    - c 4 (new)',
      '  - a 1 (-3)',
    ])
  })

  it('lines up functions that moved to another line', () => {
    expect(trees('main;a;b 2', 'main;x 0.5\nmain;a;b 1')).toEqual([
      '- main 1.5 (-0.5)',
      '  - a 1 (-1)',
      '    - b 1 (-1)',
      '  - x 0.5 (new)',
    ])
  })

  it('compares recursive calls where the tree folds them', () => {
    expect(trees('main;fib;fib;fib 3\nmain;fib;len 1', 'main;fib;fib 1\nmain;fib;len 1')).toEqual([
      '- main 2 (-2)',
      '  - fib 2 (-2)',
      '    - len 1 (0)',
    ])
  })

  it('gives every node of a tree compared with itself a change of zero', () => {
    const tree = buildCallTree(graphFromStacks('main;a;c 4\nmain;a;d 1\nmain;b;a;c 1'))
    const diff = diffCallTrees(tree, tree)
    expect(formatDiffTree(diff).every((line) => line.endsWith('(0)'))).toBe(true)
    expect(nodeChange(diff, tree.top)).toBe(0)
  })
})

describe('rules_cache1000.prof → rules_cache5000.prof (a bigger cache)', () => {
  const LOADS = { file: '/usr/local/lib/python3.11/json/__init__.py', line: 299, name: 'loads' }

  it('calls json.loads a twelfth as often, with pstats’ own numbers on both sides', async () => {
    const [before, after] = await Promise.all([
      convertFixture('rules_cache1000.prof'),
      convertFixture('rules_cache5000.prof'),
    ])
    const diff = diffProfiles(before, after)
    const truth = (name: string) => {
      const summary = readSummary(name)
      const row = summary.topCumulative.find(
        (r) => r.file === LOADS.file && r.line === LOADS.line && r.name === LOADS.name,
      )
      return { summary, row: row! }
    }
    const was = truth('rules_cache1000')
    const now = truth('rules_cache5000')

    const loads = diff.functions.filter((r) => r.file === LOADS.file && r.name === LOADS.name)
    expect(loads).toHaveLength(1)
    expect(loads[0]).toMatchObject({ status: 'both', lineBefore: 299, lineAfter: 299 })
    expect(loads[0]!.ncalls).toEqual({ before: 36_000, after: 3_000, change: -33_000 })
    for (const field of ['ncalls', 'primitiveCalls', 'tottime', 'cumtime'] as const) {
      expect(loads[0]![field].before).toBe(was.row[field])
      expect(loads[0]![field].after).toBe(now.row[field])
      expect(loads[0]![field].change).toBe(now.row[field] - was.row[field])
    }
    for (const field of ['totalTime', 'totalCalls', 'primitiveCalls', 'functionCount'] as const) {
      expect(diff.summary[field].before).toBe(was.summary[field])
      expect(diff.summary[field].after).toBe(now.summary[field])
    }
    // The same program: every function is in both runs, at the same line.
    expect(diff.functions.every((r) => r.status === 'both')).toBe(true)
    expect(diff.functions).toHaveLength(222)

    expect(
      formatFunctionDiffs(
        diff.functions.filter((r) => r.file.endsWith('/json/decoder.py') && r.ncalls.change),
        2,
      ),
    ).toMatchInlineSnapshot(`
      [
        "both /usr/local/lib/python3.11/json/decoder.py:332(decode) ncalls 36000→3000 (-33000) tottime 0.68→0.02 (-0.66) cumtime 1.57→0.25 (-1.32)",
        "both /usr/local/lib/python3.11/json/decoder.py:343(raw_decode) ncalls 36000→3000 (-33000) tottime 0.7→0.06 (-0.65) cumtime 0.7→0.06 (-0.65)",
      ]
    `)

    // In the charts, the node of json.loads under its caller is 12 times lighter too.
    const trees = diffCallTrees(buildCallTree(before), buildCallTree(after), diff.matching)
    const loadsIndex = loads[0]!.afterIndex!
    const nodes = [...trees.beforeNode.keys()].filter((n) => n.func === loadsIndex)
    expect(nodes.length).toBeGreaterThan(0)
    for (const node of nodes) expect(nodeChange(trees, node)).toBeLessThan(0)
  })
})
