/**
 * Golden tests of apps/server/shim/pstats_to_json.py: the real shim on every fixture profile,
 * checked against what each interpreter's own pstats reported (profiles/NAME.summary.json) and,
 * for a few small files, against the committed output (profiles/NAME.json).
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  fixturePath,
  listBadFiles,
  listProfiles,
  readSummary,
  PYTHON,
  runShim,
  type ShimResult,
  type SummaryRow,
} from '@profhub/fixtures'
import {
  readProfileDocument,
  type FunctionStats,
  type ProfileDocument,
  type ProfileDocumentV2,
} from '@profhub/profile'
import { findProfileDocumentProblem } from '../../src/converter/check-profile-document.ts'

/** The shim's output as written. */
async function convertToDocument(name: string): Promise<ProfileDocumentV2> {
  const { code, stdout, stderr } = await runShim(fixturePath(name))
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
  return JSON.parse(stdout) as ProfileDocumentV2
}

async function convert(name: string): Promise<ProfileDocument> {
  return readProfileDocument(await convertToDocument(name))
}

/** Python's string order (code points); JS `<` compares UTF-16 units, which differs above U+FFFF. */
function comparePy(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x === y) continue
    if (x >= 0xd800) x += x < 0xe000 ? 0x2000 : -0x800
    if (y >= 0xd800) y += y < 0xe000 ? 0x2000 : -0x800
    return x - y
  }
  return a.length - b.length
}

function byKey(a: FunctionStats, b: FunctionStats): number {
  return comparePy(a.file, b.file) || a.line - b.line || comparePy(a.name, b.name)
}

function top(doc: ProfileDocument, field: 'cumtime' | 'tottime'): FunctionStats[] {
  return [...doc.functions].sort((a, b) => b[field] - a[field] || byKey(a, b)).slice(0, 30)
}

// pstats prints a code object (a `python -m profile` key) with its memory address; the shim
// leaves the address out, since it changes on every run.
const withoutAddress = (text: string) => text.replace(/(<code object .*?) at 0x[0-9a-f]+,/, '$1,')
const normalized = <T extends { name: string }>(rows: T[]) =>
  rows.map((row) => ({ ...row, name: withoutAddress(row.name) }))

// Files whose producer leaves no trace to tell it by (see fixtures/README.md).
const UNDETECTABLE: Record<string, string> = { 'empty-py3.11.prof': 'pstats' }

const profiles = listProfiles()
// start every conversion now: the tests below then mostly wait for results already on the way
for (const name of profiles) void runShim(fixturePath(name)).catch(() => {})

describe.each(profiles)('%s', (name) => {
  const summary = readSummary(name)

  it('reports what pstats reports', async () => {
    const doc = await convert(name)
    expect(doc.sourceFormat).toBe(UNDETECTABLE[name] ?? summary.sourceFormat)
    const { totalTime, ...counts } = doc.summary
    expect(counts).toEqual({
      totalCalls: summary.totalCalls,
      primitiveCalls: summary.primitiveCalls,
      functionCount: summary.functionCount,
    })
    // Python 2.7's pstats summed in its dict's hash order, so the last bits can differ there
    expect(totalTime).toBeCloseTo(summary.totalTime, 12)
    expect(doc.functions).toHaveLength(summary.functionCount)
  })

  it('has the top functions by cumtime and tottime', async () => {
    const doc = await convert(name)
    expect(top(doc, 'cumtime')).toEqual(normalized<SummaryRow>(summary.topCumulative))
    expect(top(doc, 'tottime')).toEqual(normalized<SummaryRow>(summary.topTottime))
  })

  it('has the callers of the top functions as edges', async () => {
    const doc = await convert(name)
    const labels = doc.functions.map((f) => `${f.file}:${f.line}(${f.name})`)
    for (const [label, rows] of Object.entries(summary.callers)) {
      const callee = labels.indexOf(withoutAddress(label))
      expect(callee, label).toBeGreaterThanOrEqual(0)
      const callers = doc.edges
        .filter((e) => e.callee === callee)
        .map(({ caller, callee: _, ...values }) => {
          const { file, line, name: fn } = doc.functions[caller] as FunctionStats
          return { file, line, name: fn, ...values }
        })
        .sort((a, b) => byKey(a as FunctionStats, b as FunctionStats))
      expect(callers, label).toEqual(normalized(rows))
    }
  })

  it('is a document the server stores, with each text once', async () => {
    const raw = await convertToDocument(name)
    expect(raw.formatVersion).toBe(2)
    expect(findProfileDocumentProblem(raw)).toBeNull()
    expect(new Set(raw.strings).size).toBe(raw.strings.length)
  })

  it('is sorted and consistent', async () => {
    const doc = await convert(name)
    const sorted = [...doc.functions].sort(byKey)
    expect(doc.functions.map((f) => `${f.file}:${f.line}(${f.name})`)).toEqual(
      sorted.map((f) => `${f.file}:${f.line}(${f.name})`),
    )
    const order = doc.edges.map((e) => e.callee * doc.functions.length + e.caller)
    expect(order).toEqual([...order].sort((a, b) => a - b))
  })
})

const goldenPath = (name: string) => fixturePath(name.replace(/\.prof$/, '.json'))
const goldens = profiles.filter((name) => existsSync(goldenPath(name)))

describe('golden output (fixtures/regenerate-golden.sh)', () => {
  it.each(goldens)('%s', async (name) => {
    expect(await convertToDocument(name)).toEqual(
      JSON.parse(readFileSync(goldenPath(name), 'utf8')),
    )
  })
})

describe('hostile names', () => {
  const names = [
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    '\u202etxt.exe',
    '\u{1F525}hot_path\u{1F680}',
    'line1\nline2\r\nline3',
    'nul\u0000byte',
    "{{constructor.constructor('alert(1)')()}}",
    'Z\u0337\u0335a\u0336l\u0338g\u0334o\u0337\u200d\u200b',
    '=HYPERLINK("http://evil.example","x")',
    'fake.py:1(evil)',
    `long_${'x'.repeat(4995)}`,
    '',
  ]
  const files = [
    '/opt/app/new\nline.py',
    '/opt/app/nul\u0000byte.py',
    `/opt/app/${'d'.repeat(4980)}/long.py`,
  ]

  it.each(['hostile_names.prof', 'hostile_names-py2.7.prof'])(
    '%s keeps them as is',
    async (name) => {
      const doc = await convert(name)
      expect(doc.functions.map((f) => f.name)).toEqual(expect.arrayContaining(names))
      expect(doc.functions.map((f) => f.file)).toEqual(expect.arrayContaining(files))
      expect(doc.functions).toContainEqual(
        expect.objectContaining({
          file: '/opt/app/bigline.py',
          line: 2147483647,
          name: 'max_line',
        }),
      )
    },
  )

  it('decodes Python 2.7 bytes that are not UTF-8 as U+FFFD', async () => {
    const doc = await convert('hostile_names-py2.7.prof')
    expect(doc.functions).toContainEqual(
      expect.objectContaining({ file: '/opt/app/caf\ufffd.py', name: 'latin1_caf\ufffd' }),
    )
    expect(doc.functions).toContainEqual(
      expect.objectContaining({
        file: '/opt/app/\ufffd\ufffd.py',
        name: 'bad_utf8_\ufffd\ufffd\ufffd',
      }),
    )
  })
})

const BAD: Record<string, RegExp> = {
  'bad_empty.prof': /empty/i,
  'bad_truncated.prof': /truncated/i,
  'bad_random.prof': /not a pstats profile/i,
  'bad_text.prof': /text file/i,
  'bad_json.prof': /JSON/,
  'bad_gzip.prof': /gzip.*decompress/i,
  'bad_list.prof': /must be a dict.*list/i,
  'bad_arity.prof': /5-tuple/,
  'bad_keys.prof': /\(file, line, function\) tuple/,
  'bad_negative_time.prof': /negative/i,
  'bad_nan_time.prof': /finite|NaN/i,
  'bad_deep_nesting.prof': /nested/i,
  'bad_huge_string.prof': /truncated|ends/i,
  'bad_png.prof': /PNG/,
}

describe('files that are not profiles', () => {
  it('covers every bad fixture', () => {
    expect(Object.keys(BAD).sort()).toEqual(listBadFiles())
  })

  it.each(Object.entries(BAD))('%s: exit 2 and one line saying why', async (name, reason) => {
    const { code, stdout, stderr } = await runShim(fixturePath(name))
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/^[^\n]+\n$/)
    expect(stderr).toMatch(reason)
  })
})

describe('crafted input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'profhub-shim-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** Writes `marshal.dumps(<python literal>)` (made by Python itself) and runs the shim on it. */
  async function shimOn(literal: string): Promise<ShimResult> {
    const path = join(dir, `${Math.random().toString(36).slice(2)}.prof`)
    const made = await new Promise<Buffer>((resolve, reject) =>
      execFile(
        PYTHON,
        ['-c', `import marshal, sys; sys.stdout.buffer.write(marshal.dumps(${literal}))`],
        { encoding: 'buffer' },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      ),
    )
    writeFileSync(path, made)
    return runShim(path)
  }

  it('keeps lone surrogates in names and paths exactly (Python 3 stores them so)', async () => {
    const result = await shimOn(
      "{('/app/\\udc80x.py', 1, 'f\\ud800y'): (1, 1, 0.5, 1, {('/app/\\udc80x.py', 1, 'f\\ud800y'): (1, 1, 0.5, 1)})}",
    )
    expect(result.code).toBe(0)
    // valid UTF-8 (runShim decodes it strictly), the surrogates as JSON escapes
    expect(result.stdout).toContain('"strings":["/app/\\udc80x.py","f\\ud800y"]')
    const doc = readProfileDocument(JSON.parse(result.stdout) as ProfileDocumentV2)
    expect(doc.functions[0]).toMatchObject({ file: '/app/\udc80x.py', name: 'f\ud800y' })
  })

  it('drops a caller that has no stats entry of its own', async () => {
    const result = await shimOn(
      "{('a.py', 1, 'f'): (1, 1, 0.5, 1, {('gone.py', 2, 'g'): (1, 1, 0.5, 1)})}",
    )
    expect(result.code).toBe(0)
    const doc = readProfileDocument(JSON.parse(result.stdout) as ProfileDocumentV2)
    expect(doc.functions).toHaveLength(1)
    expect(doc.edges).toEqual([])
    expect(doc.summary).toEqual({
      totalTime: 0.5,
      totalCalls: 1,
      primitiveCalls: 1,
      functionCount: 1,
    })
  })

  it.each([
    ['a boolean count', "{('a.py', 1, 'f'): (True, 1, 0.5, 1.0, {})}", /whole number/],
    [
      'a wrong callers value',
      "{('a.py', 1, 'f'): (1, 1, 0.5, 1.0, {('a.py', 1, 'f'): 'x'})}",
      /callers value/,
    ],
    [
      'a bad callers key',
      "{('a.py', 1, 'f'): (1, 1, 0.5, 1.0, {'a.py:1(f)': 1})}",
      /among the callers/,
    ],
  ])('rejects %s', async (_, literal, reason) => {
    const { code, stderr } = await shimOn(literal)
    expect(code).toBe(2)
    expect(stderr).toMatch(reason)
  })
})
