import { describe, expect, it } from 'vitest'
import { convertFixture } from '@profhub/fixtures'
import {
  computeMatchCounts,
  diffProfiles,
  formatFunctionDiffs,
  MATCH_ROOTS,
  matchFunctions,
  type FunctionMatching,
} from './diff.ts'
import { parseRootedPath } from './path-roots.ts'
import type { FunctionStats, ProfileDocument } from './pstats.ts'

/** A document with one function per `file:line(name)`, each called once for one second. */
function doc(...keys: string[]): ProfileDocument {
  const functions: FunctionStats[] = keys.map((key) => {
    const m = /^(.*):(\d+)\((.*)\)$/.exec(key)!
    return {
      file: m[1]!,
      line: Number(m[2]),
      name: m[3]!,
      ncalls: 1,
      primitiveCalls: 1,
      tottime: 1,
      cumtime: 1,
    }
  })
  return {
    sourceFormat: 'cProfile',
    pythonVersion: '3.11',
    summary: { totalTime: keys.length, totalCalls: 1, primitiveCalls: 1, functionCount: 1 },
    functions,
    edges: [],
  }
}

const label = (f: FunctionStats) => `${f.file}:${f.line}(${f.name})`

/**
 * The matching as lines: `before = after (how)` for a pair, `- before` (removed), `+ after`
 * (added). Checks on the way that it is one-to-one and both arrays agree.
 */
function pairs(before: ProfileDocument, after: ProfileDocument): string[] {
  const m = matchFunctions(before, after)
  expectOneToOne(m)
  const lines: string[] = []
  after.functions.forEach((f, a) => {
    const b = m.beforeOf[a]!
    if (b === -1) return
    const how = [m.root[a] ? MATCH_ROOTS[m.root[a]! - 1] : 'same path']
    if (m.moved[a]) how.push('moved')
    lines.push(`${label(before.functions[b]!)} = ${label(f)} (${how.join(', ')})`)
  })
  before.functions.forEach((f, b) => m.afterOf[b] === -1 && lines.push(`- ${label(f)}`))
  after.functions.forEach((f, a) => m.beforeOf[a] === -1 && lines.push(`+ ${label(f)}`))
  return lines
}

function expectOneToOne(m: FunctionMatching) {
  const seen = new Set<number>()
  m.beforeOf.forEach((b, a) => {
    if (b === -1) return
    expect(seen.has(b)).toBe(false)
    seen.add(b)
    expect(m.afterOf[b]).toBe(a)
  })
  expect(m.afterOf.filter((a) => a !== -1)).toHaveLength(seen.size)
}

// The same program, profiled on a laptop and in CI.
const LAPTOP = doc(
  '/home/ann/proj/app/x.py:1(<module>)',
  '/home/ann/proj/app/x.py:10(main)',
  '/home/ann/proj/app/util.py:4(helper)',
  '/home/ann/proj/venv-a/lib/python3.11/site-packages/requests/api.py:62(get)',
  '/usr/lib/python3.11/json/decoder.py:332(decode)',
  '~:0(<built-in method builtins.len>)',
  '~:0(<built-in method __new__ of type object at 0x7f508de5ea00>)',
)
const CI = doc(
  '/builds/ci/proj/app/x.py:1(<module>)',
  '/builds/ci/proj/app/x.py:10(main)',
  '/builds/ci/proj/app/util.py:4(helper)',
  '/opt/venv/lib/python3.11/site-packages/requests/api.py:62(get)',
  '/root/.pyenv/versions/3.11.7/lib/python3.11/json/decoder.py:332(decode)',
  '~:0(<built-in method builtins.len>)',
  '~:0(<built-in method __new__ of type object at 0x7fa236a5ea00>)',
)

describe('matching the same program profiled from two folders', () => {
  it('lines up project, site-packages and standard library paths below their roots', () => {
    expect(pairs(LAPTOP, CI)).toEqual([
      '/home/ann/proj/app/x.py:1(<module>) = /builds/ci/proj/app/x.py:1(<module>) (project)',
      '/home/ann/proj/app/x.py:10(main) = /builds/ci/proj/app/x.py:10(main) (project)',
      '/home/ann/proj/app/util.py:4(helper) = /builds/ci/proj/app/util.py:4(helper) (project)',
      '/home/ann/proj/venv-a/lib/python3.11/site-packages/requests/api.py:62(get) = /opt/venv/lib/python3.11/site-packages/requests/api.py:62(get) (site-packages)',
      '/usr/lib/python3.11/json/decoder.py:332(decode) = /root/.pyenv/versions/3.11.7/lib/python3.11/json/decoder.py:332(decode) (stdlib)',
      '~:0(<built-in method builtins.len>) = ~:0(<built-in method builtins.len>) (same path)',
      '~:0(<built-in method __new__ of type object at 0x7f508de5ea00>) = ~:0(<built-in method __new__ of type object at 0x7fa236a5ea00>) (same path)',
    ])
    const diff = diffProfiles(LAPTOP, CI)
    expect(diff.functions.every((row) => row.status === 'both')).toBe(true)
    expect(computeMatchCounts(diff.matching)).toEqual({
      matched: 7,
      added: 0,
      removed: 0,
      moved: 0,
      byRoot: { 'site-packages': 1, stdlib: 1, project: 3, 'other-python': 0 },
    })
    // The other way round, the same pairs.
    const bare = (lines: string[]) => lines.map((l) => l.replace(/ \([^()]*\)$/, ''))
    const swapped = bare(pairs(CI, LAPTOP)).map((l) => l.split(' = ').reverse().join(' = '))
    expect(swapped.sort()).toEqual(bare(pairs(LAPTOP, CI)).sort())
  })

  it('takes dist-packages for site-packages, and Windows separators', () => {
    expect(
      pairs(
        doc('/usr/lib/python3/dist-packages/yaml/loader.py:5(load)', 'C:\\proj\\app\\x.py:3(run)'),
        doc(
          'C:\\Users\\ann\\venv\\Lib\\site-packages\\yaml\\loader.py:5(load)',
          '/builds/ci/proj/app/x.py:3(run)',
        ),
      ),
    ).toEqual([
      '/usr/lib/python3/dist-packages/yaml/loader.py:5(load) = C:\\Users\\ann\\venv\\Lib\\site-packages\\yaml\\loader.py:5(load) (site-packages)',
      'C:\\proj\\app\\x.py:3(run) = /builds/ci/proj/app/x.py:3(run) (project)',
    ])
  })

  it('matches the standard library of another Python version only when the same one is not there', () => {
    const before = doc(
      '/usr/lib/python3.11/json/decoder.py:332(decode)',
      '/usr/lib/python3.11/json/scanner.py:20(scan)',
    )
    const after = doc(
      '/usr/lib/python3.12/json/decoder.py:332(decode)',
      '/root/.pyenv/versions/3.11.7/lib/python3.11/json/decoder.py:332(decode)',
      '/usr/lib/python3.12/json/scanner.py:20(scan)',
    )
    expect(pairs(before, after)).toEqual([
      '/usr/lib/python3.11/json/decoder.py:332(decode) = /root/.pyenv/versions/3.11.7/lib/python3.11/json/decoder.py:332(decode) (stdlib)',
      '/usr/lib/python3.11/json/scanner.py:20(scan) = /usr/lib/python3.12/json/scanner.py:20(scan) (other-python)',
      '+ /usr/lib/python3.12/json/decoder.py:332(decode)',
    ])
  })

  it('finds a function that moved to another line in the other checkout', () => {
    expect(
      pairs(
        doc('/home/ann/proj/app/x.py:1(<module>)', '/home/ann/proj/app/x.py:10(main)'),
        doc('/builds/ci/proj/app/x.py:1(<module>)', '/builds/ci/proj/app/x.py:12(main)'),
      ),
    ).toEqual([
      '/home/ann/proj/app/x.py:1(<module>) = /builds/ci/proj/app/x.py:1(<module>) (project)',
      '/home/ann/proj/app/x.py:10(main) = /builds/ci/proj/app/x.py:12(main) (project, moved)',
    ])
  })

  it('lines up relative paths with absolute ones', () => {
    expect(pairs(doc('app/x.py:3(run)'), doc('/builds/ci/proj/app/x.py:3(run)'))).toEqual([
      'app/x.py:3(run) = /builds/ci/proj/app/x.py:3(run) (project)',
    ])
  })

  it('never pairs two functions of one run with one of the other', () => {
    // Two virtualenvs in before hold requests/api.py: which one is after's cannot be told.
    const twoVenvs = doc(
      '/a/venv1/lib/python3.11/site-packages/requests/api.py:62(get)',
      '/a/venv2/lib/python3.11/site-packages/requests/api.py:62(get)',
    )
    const one = doc('/opt/venv/lib/python3.11/site-packages/requests/api.py:62(get)')
    expect(pairs(twoVenvs, one)).toEqual([
      '- /a/venv1/lib/python3.11/site-packages/requests/api.py:62(get)',
      '- /a/venv2/lib/python3.11/site-packages/requests/api.py:62(get)',
      '+ /opt/venv/lib/python3.11/site-packages/requests/api.py:62(get)',
    ])
    expect(pairs(one, twoVenvs)).toHaveLength(3)
    // An exact match is never taken back for a root-relative one.
    const both = doc(
      '/opt/venv/lib/python3.11/site-packages/requests/api.py:62(get)',
      '/a/venv2/lib/python3.11/site-packages/requests/api.py:62(get)',
    )
    expect(pairs(one, both)).toEqual([
      '/opt/venv/lib/python3.11/site-packages/requests/api.py:62(get) = /opt/venv/lib/python3.11/site-packages/requests/api.py:62(get) (same path)',
      '+ /a/venv2/lib/python3.11/site-packages/requests/api.py:62(get)',
    ])
  })
})

describe('no false match across checkouts', () => {
  it('keeps files of the same name in different packages apart', () => {
    expect(
      pairs(
        doc(
          '/venv-a/lib/python3.11/site-packages/requests/utils.py:1(<module>)',
          '/venv-a/lib/python3.11/site-packages/requests/utils.py:40(to_native_string)',
        ),
        doc(
          '/opt/venv/lib/python3.11/site-packages/urllib3/utils.py:1(<module>)',
          '/opt/venv/lib/python3.11/site-packages/urllib3/utils.py:40(to_native_string)',
        ),
      ).map((line) => line[0]),
    ).toEqual(['-', '-', '+', '+'])
  })

  it('keeps same-named project files in different folders apart, across checkouts', () => {
    expect(
      pairs(
        doc(
          '/home/ann/proj/a/models.py:1(<module>)',
          '/home/ann/proj/app/x.py:1(<module>)',
          '/home/ann/proj/app/x.py:10(main)',
        ),
        doc(
          '/builds/ci/proj/b/models.py:1(<module>)',
          '/builds/ci/proj/app/x.py:1(<module>)',
          '/builds/ci/proj/app/x.py:10(main)',
        ),
      ),
    ).toEqual([
      '/home/ann/proj/app/x.py:1(<module>) = /builds/ci/proj/app/x.py:1(<module>) (project)',
      '/home/ann/proj/app/x.py:10(main) = /builds/ci/proj/app/x.py:10(main) (project)',
      '- /home/ann/proj/a/models.py:1(<module>)',
      '+ /builds/ci/proj/b/models.py:1(<module>)',
    ])
  })

  it('keeps them apart in one checkout, where the folder did not move', () => {
    // a/models.py went away and b/models.py came: a/ is still here (a/views.py), so they are
    // two files, not one file seen from two folders.
    expect(
      pairs(
        doc('/home/ann/proj/a/models.py:1(<module>)', '/home/ann/proj/a/views.py:1(<module>)'),
        doc('/home/ann/proj/a/views.py:1(<module>)', '/home/ann/proj/b/models.py:1(<module>)'),
      ),
    ).toEqual([
      '/home/ann/proj/a/views.py:1(<module>) = /home/ann/proj/a/views.py:1(<module>) (same path)',
      '- /home/ann/proj/a/models.py:1(<module>)',
      '+ /home/ann/proj/b/models.py:1(<module>)',
    ])
  })

  it('does not match a different name or line below a root', () => {
    expect(
      pairs(
        doc('/home/ann/proj/app/x.py:10(main)', '/home/ann/proj/app/x.py:20(run)'),
        doc('/builds/ci/proj/app/x.py:10(main)', '/builds/ci/proj/app/x.py:20(start)'),
      ).map((line) => line.split(' ')[0]),
    ).toEqual(['/home/ann/proj/app/x.py:10(main)', '-', '+'])
  })
})

describe('parseRootedPath', () => {
  it('finds the innermost site-packages, else the standard library', () => {
    expect(parseRootedPath('/opt/venv/lib/python3.11/site-packages/requests/api.py')).toEqual({
      root: 'site-packages',
      version: null,
      rest: 'requests/api.py',
    })
    expect(parseRootedPath('/usr/lib64/python3.13t/json/decoder.py')).toEqual({
      root: 'stdlib',
      version: '3.13',
      rest: 'json/decoder.py',
    })
    expect(parseRootedPath('/home/ann/lib/python-tools/x.py')).toBeNull()
    expect(parseRootedPath('~')).toBeNull()
  })
})

describe('a real profile seen from other folders (jsondoc-py3.11.prof)', () => {
  const moves: [string, string][] = [
    ['/opt/app/', '/home/ann/proj/'],
    ['/usr/local/lib/python3.11/site-packages/', '/home/ann/venv-a/lib/python3.11/site-packages/'],
    ['/usr/local/lib/python3.11/', '/root/.pyenv/versions/3.11.7/lib/python3.11/'],
  ]
  const relocate = (file: string) => {
    for (const [from, to] of moves) if (file.startsWith(from)) return to + file.slice(from.length)
    return file
  }

  it('matches every function, each below the root it sits in', async () => {
    const ci = await convertFixture('jsondoc-py3.11.prof')
    const laptop = { ...ci, functions: ci.functions.map((f) => ({ ...f, file: relocate(f.file) })) }
    const diff = diffProfiles(laptop, ci)
    expect(formatFunctionDiffs(diff.functions).filter((l) => !l.startsWith('both '))).toEqual([])
    const under = (prefix: string) => ci.functions.filter((f) => f.file.startsWith(prefix)).length
    const site = under(moves[1]![0])
    expect(computeMatchCounts(diff.matching)).toEqual({
      matched: ci.functions.length,
      added: 0,
      removed: 0,
      moved: 0,
      byRoot: {
        'site-packages': site,
        stdlib: under(moves[2]![0]) - site,
        project: under(moves[0]![0]),
        'other-python': 0,
      },
    })
    expect(site).toBeGreaterThan(0)
    expect(under(moves[0]![0])).toBeGreaterThan(0)
    // Every pair is the same function: same line and name.
    diff.matching.beforeOf.forEach((b, a) => {
      expect(laptop.functions[b]!.name).toBe(ci.functions[a]!.name)
      expect(laptop.functions[b]!.line).toBe(ci.functions[a]!.line)
    })
  })
})
