import { describe, expect, it } from 'vitest'
import {
  computeEnvironmentDifferences,
  formatCommand,
  formatEnvironmentWarning,
  formatGit,
  formatPlatform,
  formatProfiler,
  formatPython,
  type RunEnvironment,
} from './environment.ts'

const sent = (python: string, more: Partial<RunEnvironment> = {}): RunEnvironment => ({
  formatVersion: 1,
  python: { version: python, implementation: 'CPython' },
  platform: { system: 'Linux', release: '6.1', machine: 'x86_64', node: 'build-1' },
  profiler: { name: 'cProfile', clock: 'perf_counter' },
  ...more,
})

describe('computeEnvironmentDifferences', () => {
  it('names a different Python in the warning', () => {
    const differences = computeEnvironmentDifferences(sent('3.11.9'), sent('3.13.1'))
    expect(differences).toEqual([{ what: 'Pythons', before: '3.11.9', after: '3.13.1' }])
    expect(formatEnvironmentWarning(differences)).toBe(
      'These runs ran on different Pythons (3.11.9 vs 3.13.1): times may not be comparable.',
    )
  })

  it('sees no difference between the same runs, or a guessed 3.11 and a sent 3.11.9', () => {
    expect(computeEnvironmentDifferences(sent('3.11.9'), sent('3.11.9'))).toEqual([])
    const guessed: RunEnvironment = {
      formatVersion: 1,
      python: { version: '3.11' },
      profiler: { name: 'cProfile' },
      guessed: true,
    }
    expect(computeEnvironmentDifferences(guessed, sent('3.11.9'))).toEqual([])
    expect(computeEnvironmentDifferences(guessed, sent('3.12.0'))).toEqual([
      { what: 'Pythons', before: '3.11', after: '3.12.0' },
    ])
  })

  it('lists every kind of difference, and ignores what one side does not know', () => {
    const other = sent('3.11.9', {
      python: { version: '3.11.9', implementation: 'PyPy' },
      platform: { machine: 'arm64', node: 'laptop' },
      profiler: { name: 'profile', clock: 'process_time' },
    })
    const differences = computeEnvironmentDifferences(sent('3.11.9'), other)
    expect(differences.map((d) => d.what)).toEqual([
      'Python implementations',
      'profilers',
      'clocks',
      'machines',
      'architectures',
    ])
    expect(formatEnvironmentWarning(differences.slice(2, 4))).toBe(
      'These runs ran on different clocks (perf_counter vs process_time) and machines (build-1 vs laptop): times may not be comparable.',
    )
    const unknown: RunEnvironment = { formatVersion: 1, python: { version: null } }
    expect(computeEnvironmentDifferences(unknown, sent('3.13.1'))).toEqual([])
    expect(computeEnvironmentDifferences(null, sent('3.13.1'))).toEqual([])
    // "pstats"/"merged": the server could not tell the profiler.
    const merged: RunEnvironment = { formatVersion: 1, profiler: { name: 'merged' } }
    expect(computeEnvironmentDifferences(merged, sent('3.13.1'))).toEqual([])
  })
})

describe('formatting an environment', () => {
  it('says what is known, compactly', () => {
    const env = sent('3.12.3', {
      git: { commit: '0123456789abcdef0123456789abcdef01234567', branch: 'main', dirty: true },
    })
    expect(formatPython(env)).toBe('3.12.3 (CPython)')
    expect(formatPlatform(env)).toBe('Linux 6.1 · x86_64 · build-1')
    expect(formatProfiler(env)).toBe('cProfile, perf_counter clock')
    expect(formatGit(env)).toBe('0123456 on main (dirty)')
    expect(formatGit({ formatVersion: 1, git: { commit: 'abcdef0123', branch: null } })).toBe(
      'abcdef0 (detached)',
    )
    expect(formatPython({ formatVersion: 1 })).toBeNull()
    expect(formatPlatform({ formatVersion: 1 })).toBeNull()
    expect(formatProfiler({ formatVersion: 1, profiler: { name: 'yappi' } })).toBe('yappi')
  })

  it('quotes a command line as a shell reads it', () => {
    expect(formatCommand(['bench.py', '--size', '5000'])).toBe('bench.py --size 5000')
    expect(formatCommand(['a b.py', "it's", ''])).toBe(`'a b.py' 'it'\\''s' ''`)
  })
})
