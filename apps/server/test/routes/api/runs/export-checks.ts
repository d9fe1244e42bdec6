/**
 * What each export of a run must read back as, checked by the export's real consumer: Python's
 * pstats, csv-parse, valgrind's callgrind_annotate, and ajv with the schema speedscope ships
 * (the browser tests open the exports in speedscope itself).
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Ajv } from 'ajv'
import { parse } from 'csv-parse/sync'
import { fixturePath } from '@profhub/fixtures'
import {
  buildCallTree,
  readProfileDocument,
  SPEEDSCOPE_TREE_OPTIONS,
  type ProfileDocument,
  type StatRow,
  type StoredProfileDocument,
} from '@profhub/profile'
import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import { uploadRun } from '../../../helper.ts'
import {
  annotateCallgrind,
  getExport,
  readWithPstats,
  saveExport,
  tempDir,
} from './export-consumers.ts'

const HEADER =
  'file,line,function,ncalls,primitive_calls,tottime,tottime_percall,cumtime,cumtime_percall'
const SCHEMA = JSON.parse(
  readFileSync(
    createRequire(import.meta.url).resolve('speedscope/dist/release/file-format-schema.json'),
    'utf8',
  ),
)
const validateSpeedscope = new Ajv({ allErrors: true }).compile(SCHEMA)

// The documented spreadsheet guard, undone: one leading ' comes off a text cell that has one.
const unguard = (cell: string) => (cell.startsWith("'") ? cell.slice(1) : cell)

// The callgrind export's documented escaping, written out again here rather than imported.
function callgrindText(text: string): string {
  let out = ''
  for (const char of text) {
    const code = char.codePointAt(0)!
    if (char === '\\') out += '\\\\'
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
      out += `\\x${code.toString(16).padStart(2, '0')}`
    } else if (code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16)}`
    else out += char
  }
  return out === '' || /^\s/.test(out) ? `\\${out}` : out
}
const UNITS = 1e8 // 10 ns

/** What the pair's call line costs: pstats' edge cumtime, or the documented estimate. */
function edgeSeconds(doc: ProfileDocument, edge: ProfileDocument['edges'][number]): number {
  if (edge.cumtime !== null) return edge.cumtime
  const callee = doc.functions[edge.callee]!
  if (callee.primitiveCalls === 0) return 0
  return callee.cumtime * Math.min(1, edge.ncalls / callee.primitiveCalls)
}

/** A fixture uploaded, with what the API says of it: the truth the exports must match. */
export async function uploadForExports(app: FastifyInstance, fixture: string) {
  const { id } = await uploadRun(app, fixture)
  const run = (await app.inject(`/api/runs/${id}`)).json()
  const limit = Math.max(1, run.summary.functionCount)
  const rows: StatRow[] = (await app.inject(`/api/runs/${id}/stats?limit=${limit}`)).json().rows
  const stored = (await app.inject(`/api/runs/${id}/profile`)).json() as StoredProfileDocument
  return { app, fixture, id, run, rows, doc: readProfileDocument(stored) }
}

type Uploaded = Awaited<ReturnType<typeof uploadForExports>>

/** Python's pstats loads the `prof` export as the run; `pstats` is what it prints for it. */
export async function checkPstats({ app, fixture, id, run, rows }: Uploaded) {
  const dir = await tempDir()
  const [prof, { body: report }] = await Promise.all([
    saveExport(app, id, 'prof', dir),
    getExport(app, id, 'pstats'),
  ])
  const read = await readWithPstats(prof)

  if ('refused' in read) {
    // pstats refuses a profile of nothing (`{}`), the uploaded file as much as the export.
    expect(run.summary.functionCount).toBe(0)
    const refused = { refused: expect.stringMatching(/^Cannot create or construct/) }
    expect(read).toEqual(refused)
    expect(await readWithPstats(fixturePath(fixture))).toEqual(refused)
    expect(report).toMatch(/^ +0 function calls in 0\.000 seconds\n/)
    return
  }
  expect({
    totalTime: read.totalTime,
    totalCalls: read.totalCalls,
    primitiveCalls: read.primitiveCalls,
    functionCount: read.functionCount,
  }).toEqual(run.summary)
  const byKey = (row: { file: string; line: number; name: string }) =>
    JSON.stringify([row.file, row.line, row.name])
  const loaded = new Map(
    read.rows.map(([file, line, name, ncalls, primitiveCalls, tottime, cumtime]) => [
      byKey({ file, line, name }),
      { file, line, name, ncalls, primitiveCalls, tottime, cumtime },
    ]),
  )
  expect(loaded.size).toBe(rows.length)
  for (const row of rows) expect(loaded.get(byKey(row))).toEqual(row)

  // Python prints the file's name and time first, then a blank line; then the same report.
  const printed = read.report.split('\n')
  expect(printed[0]).toContain(prof)
  expect(printed[1]).toBe('')
  expect(report.split('\n')).toEqual(printed.slice(2))
}

/** csv-parse reads the /stats rows back. */
export async function checkCsv({ app, id, rows }: Uploaded) {
  const text = (await getExport(app, id, 'csv')).body
  const [header, ...records] = parse(text, { record_delimiter: '\r\n' }) as string[][]

  expect(header!.join(',')).toBe(HEADER)
  expect(
    records.map(([file, line, name, ncalls, cc, tottime, ttPer, cumtime, ctPer]) => ({
      row: {
        file: unguard(file!),
        line: Number(line),
        name: unguard(name!),
        ncalls: Number(ncalls),
        primitiveCalls: Number(cc),
        tottime: Number(tottime),
        cumtime: Number(cumtime),
      },
      percall: [ttPer, ctPer],
    })),
  ).toEqual(
    rows.map((row) => ({
      row,
      percall: [
        row.ncalls === 0 ? '' : String(row.tottime / row.ncalls),
        row.primitiveCalls === 0 ? '' : String(row.cumtime / row.primitiveCalls),
      ],
    })),
  )
}

/** callgrind_annotate reads the self costs and the call costs back. */
export async function checkCallgrind({ app, id, rows, doc }: Uploaded) {
  const file = await saveExport(app, id, 'callgrind', await tempDir())
  const label = (fn: { file: string; line: number; name: string }) =>
    `${callgrindText(fn.file)}:${callgrindText(`${fn.name}:${fn.line}`)}`

  // callgrind_annotate takes the cost line of a `calls=0` entry (cProfile records a few pairs
  // with no call and no time, in threads) for the caller's own cost.
  const incoming = new Map<number, number>()
  const outgoing = new Map<number, number>()
  const uncounted = new Map<number, number>()
  for (const edge of doc.edges) {
    const cost = Math.round(edgeSeconds(doc, edge) * UNITS)
    const add = (map: Map<number, number>, f: number) => map.set(f, (map.get(f) ?? 0) + cost)
    add(outgoing, edge.caller)
    if (edge.ncalls > 0) add(incoming, edge.callee)
    else add(uncounted, edge.caller)
  }
  // `<profile>` calls each of the charts' roots once, with the root's time.
  let entry = 0
  for (const root of buildCallTree(doc).roots) {
    const cost = Math.round(root.value * UNITS)
    incoming.set(root.func, (incoming.get(root.func) ?? 0) + cost)
    entry += cost
  }
  const byRow = new Map(doc.functions.map((fn, f) => [label(fn), f]))

  // Self costs: tottime in 10 ns units, per function; functions that cost nothing are left out.
  const self = await annotateCallgrind(file, false)
  const expectedSelf = new Map(
    rows.map((row) => {
      const f = byRow.get(label(row))!
      return [label(row), Math.round(row.tottime * UNITS) + (uncounted.get(f) ?? 0)] as const
    }),
  )
  expect(self.costs).toEqual(new Map([...expectedSelf].filter(([, cost]) => cost > 0)))
  expect(self.total).toBe([...expectedSelf.values()].reduce((a, b) => a + b, 0))

  // Inclusive: a called function costs what its callers' call lines say; one nobody calls
  // (<profile>, an entry point that took no time), its own cost plus its calls'.
  const expectedInclusive = new Map(
    doc.functions.map((fn, f) => {
      const cost = incoming.has(f)
        ? incoming.get(f)!
        : Math.round(fn.tottime * UNITS) + (outgoing.get(f) ?? 0)
      return [label(fn), cost] as const
    }),
  )
  expectedInclusive.set('<profhub>:<profile>', entry)
  const inclusive = await annotateCallgrind(file, true)
  expect(inclusive.costs).toEqual(new Map([...expectedInclusive].filter(([, cost]) => cost > 0)))
}

/** Valid against speedscope's schema; the events span the charts' call tree. */
export async function checkSpeedscope({ app, id, run, doc }: Uploaded) {
  const file = JSON.parse((await getExport(app, id, 'speedscope')).body)

  expect(validateSpeedscope(file), JSON.stringify(validateSpeedscope.errors)).toBe(true)
  expect(file.name).toBe(`${run.name} (call tree estimated from pstats caller totals)`)
  const [profile] = file.profiles
  // Opened and closed in order, one frame at a time, never back in time.
  const open: number[] = []
  let at = 0
  for (const event of profile.events) {
    expect(event.at).toBeGreaterThanOrEqual(at)
    at = event.at
    expect(file.shared.frames[event.frame]).toBeDefined()
    if (event.type === 'O') open.push(event.frame)
    else expect(open.pop()).toBe(event.frame)
  }
  expect(open).toEqual([])
  expect(profile.endValue).toBe(at)
  // The charts' tree: its roots one after the other, each as long as its function's time.
  const tree = buildCallTree(doc, SPEEDSCOPE_TREE_OPTIONS)
  expect(profile.endValue).toBeCloseTo(tree.total, 9)
  const rootOpens = rootEvents(profile.events)
  expect(rootOpens.map((e) => file.shared.frames[e.frame].name)).toEqual(
    tree.roots.map((root) => doc.functions[root.func]!.name),
  )
}

/** The events at depth 0: the roots' opens. */
function rootEvents(events: { type: 'O' | 'C'; frame: number; at: number }[]) {
  let depth = 0
  return events.filter((event) => {
    const root = event.type === 'O' && depth === 0
    depth += event.type === 'O' ? 1 : -1
    return root
  })
}
