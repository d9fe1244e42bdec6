import { describe, expect, it } from 'vitest'
import { writeProfileDocument } from '../document.ts'
import { graphFromStacks, withoutEdgeTimes } from '../testing.ts'
import { formatCallgrind, formatCallgrindName } from './callgrind.ts'

describe('formatCallgrind', () => {
  it('writes self costs and call costs in 10 ns units, names compressed', () => {
    // main calls a twice and b once; a calls b. Seconds chosen to be exact in 10 ns units.
    const doc = graphFromStacks(`
      main;a 0.25
      main;a;b 0.5
      main;b 0.125
      main 0.0625
    `)
    expect(formatCallgrind(writeProfileDocument(doc), { name: 'demo' }).split('\n')).toEqual([
      '# callgrind format',
      'version: 1',
      'creator: profhub (from a pstats profile)',
      'cmd: demo',
      '# Self cost: pstats tottime; call cost: the cumtime pstats records for that caller and',
      '# callee. One unit is 10 ns.',
      '# <profile> is not a Python function: it stands for the whole run and calls',
      '# the entry points profhub finds, each with its own time.',
      'positions: line',
      'events: Time_(10ns)',
      '',
      // The run's entry: main, with its cumulative time.
      'fl=(1) <profhub>',
      'fn=(0) <profile>',
      '0 0',
      'cfl=(2) t.py',
      'cfn=(1) main:1',
      'calls=1 1',
      '0 93750000',
      'fl=(2)',
      'fn=(1)',
      '1 6250000',
      'cfl=(2)',
      'cfn=(2) a:2',
      'calls=2 2',
      '1 75000000',
      'cfl=(2)',
      'cfn=(3) b:3',
      'calls=1 3',
      '1 12500000',
      'fn=(2)',
      '2 25000000',
      'cfl=(2)',
      'cfn=(3)',
      'calls=1 3',
      '2 50000000',
      'fn=(3)',
      '3 62500000',
      '',
      'totals: 93750000',
      '',
    ])
  })

  it('says when call costs are estimated (the profile module records counts only)', () => {
    const doc = withoutEdgeTimes(graphFromStacks('main;a 1\nmain;b 3\nx;b 1'))
    const text = formatCallgrind(writeProfileDocument(doc), { name: 'p' })
    expect(text).toContain("# callee's cumtime times this caller's share of its primitive calls.")
    // b: cumtime 4 over 2 primitive calls, 1 of them from main.
    expect(text).toContain('cfn=(4) b:3\ncalls=1 3\n1 200000000\n')
    // Both entry points, main and x, are called by <profile> with their whole time.
    expect(text).toContain('cfn=(1) main:1\ncalls=1 1\n0 400000000\n')
    expect(text).toContain('cfn=(2) x:4\ncalls=1 4\n0 100000000\n')
  })

  it('keeps untrusted names on one line, and apart', () => {
    expect(formatCallgrindName('line1\nline2\r')).toBe('line1\\x0aline2\\x0d')
    expect(formatCallgrindName('C:\\x0a')).toBe('C:\\\\x0a')
    expect(formatCallgrindName('nul\0 del\x7f sep\u2028')).toBe('nul\\x00 del\\x7f sep\\u2028')
    // Readers strip leading white space, and an empty name would end a compressed definition.
    expect(formatCallgrindName('')).toBe('\\')
    expect(formatCallgrindName(' x')).toBe('\\ x')
    expect(formatCallgrindName('\u00a0x')).toBe('\\\u00a0x')
    expect(formatCallgrindName('\tx')).toBe('\\x09x')
    expect(formatCallgrindName('🔥 <module>')).toBe('🔥 <module>')
  })

  it('places costs of a negative line on line 0', () => {
    const doc = graphFromStacks('main 1')
    doc.functions[0]!.line = -3
    const text = formatCallgrind(writeProfileDocument(doc), { name: 'n' })
    expect(text).toContain('cfn=(1) main:-3\ncalls=1 0\n')
    expect(text).toContain('fl=(2)\nfn=(1)\n0 100000000\n')
  })
})
