import { readFileSync, readdirSync } from 'node:fs'
import type { Run, Stats } from '@profhub/api'
import { fixturePath, readSummary } from '@profhub/fixtures'
import { readProfileDocument } from '@profhub/profile'
import { expect } from 'vitest'

/** One upload of a burst: its fixture files, and what the run it makes must hold. */
export interface PlannedUpload {
  files: string[]
  mode: 'separate' | 'merge'
  /** The run's name (the file name, or the merge's "<first> + N more"). */
  name: string
  /** The fixture whose pstats summary the run must report (for a merge, the file pstats made). */
  truth: string
}

const RULES = ['rules_cache1000.prof', 'rules_cache5000.prof', 'rules-py3.11.prof']
const MIXED = ['jsondoc-py3.11.prof', 'tokenizer-py3.11.prof', 'shapes-py3.11.prof']

// Small to large, cProfile, the `profile` module, yappi and 2.7, so that the burst's uploads
// finish at very different times: some are stored while others are still being converted.
const SINGLES = [
  'large-20k.prof',
  'recursion-py3.11.prof',
  'realworld-unittest-py3.11.prof',
  'jsondoc-yappi.prof',
  'hostile_names.prof',
  'threads-py2.7.prof',
  'large-20k.prof',
  'recursion-profile-py3.11.prof',
  'textdiff-py3.13.prof',
  'realworld-unittest-py3.11.prof',
  'hostile_names-py2.7.prof',
  'large-20k.prof',
  'jsondoc-py3.6.prof',
  'sorting-py3.12.prof',
  'tokenizer-py3.9.prof',
  'shapes-py3.8.prof',
  'large-20k.prof',
  'rules-py3.10.prof',
  'recursion-py2.7.prof',
  'threads-yappi.prof',
  'realworld-unittest-py3.11.prof',
  'textdiff-py2.7.prof',
  'jsondoc-py3.13.prof',
  'empty-py3.11.prof',
  'large-20k.prof',
  'rules_cache5000.prof',
]

/** 30 uploads: 26 single files (5 of them the 3.4 MB large-20k.prof) and 4 merges. */
export function burstPlan(): PlannedUpload[] {
  const singles: PlannedUpload[] = SINGLES.map((file) => ({
    files: [file],
    mode: 'separate',
    name: file,
    truth: file,
  }))
  const merge = (files: string[], truth: string): PlannedUpload => ({
    files,
    mode: 'merge',
    name: `${files[0]} + ${files.length - 1} more`,
    truth,
  })
  const merges = [
    merge(RULES, 'merged-rules-py3.11.prof'),
    merge(MIXED, 'merged-jsondoc-tokenizer-shapes-py3.11.prof'),
    merge(RULES, 'merged-rules-py3.11.prof'),
    merge(MIXED, 'merged-jsondoc-tokenizer-shapes-py3.11.prof'),
  ]
  // Merges spread through the burst rather than all at its end.
  return singles.flatMap((single, index) =>
    index % 7 === 3 && merges.length > 0 ? [merges.shift()!, single] : [single],
  )
}

/** The fixture's pstats summary, as the API's `summary` carries it. */
export function truthSummary(truth: string) {
  const { totalTime, totalCalls, primitiveCalls, functionCount } = readSummary(truth)
  return { totalTime, totalCalls, primitiveCalls, functionCount }
}

export function fixtureBytes(file: string): Buffer {
  return readFileSync(fixturePath(file))
}

/** The multipart body a browser or `profhub.py upload [--merge]` sends. */
export function uploadBody(upload: PlannedUpload): FormData {
  const form = new FormData()
  if (upload.mode === 'merge') form.append('mode', 'merge')
  for (const file of upload.files) form.append('file', new Blob([fixtureBytes(file)]), file)
  return form
}

/**
 * The processes whose parent is `pid` (Linux /proc): the shims and compressors a server ran.
 */
export function childProcesses(pid: number): number[] {
  const children: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue // exited meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses; the last ")" ends it.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    if (ppid === pid) children.push(Number(entry))
  }
  return children
}

/** Whether a process is still running (a zombie counts as gone: it runs nothing). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url)
  const body = await response.text()
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${body}`)
  return JSON.parse(body) as T
}

export async function getBytes(url: string): Promise<Buffer> {
  const response = await fetch(url)
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status}`)
  return Buffer.from(await response.arrayBuffer())
}

export async function listAllRuns(url: string): Promise<Run[]> {
  const runs: Run[] = []
  let cursor: string | null = null
  do {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`
    const page = await getJson<{ runs: Run[]; nextCursor: string | null }>(
      `${url}/api/runs?limit=7${query}`,
    )
    runs.push(...page.runs)
    cursor = page.nextCursor
  } while (cursor !== null)
  return runs
}

/** Everything a run's pages ask for, complete and equal to what was uploaded. */
export async function expectComplete(
  url: string,
  id: string,
  upload: PlannedUpload,
): Promise<void> {
  const base = `${url}/api/runs/${id}`
  const summary = truthSummary(upload.truth)
  const expectedSummary = { ...summary, totalTime: expect.closeTo(summary.totalTime, 12) }
  const run = await getJson<Run>(base)
  expect(run).toMatchObject({
    id,
    name: upload.name,
    summary: expectedSummary,
    source: {
      files: upload.files.map((fileName) => ({
        fileName,
        fileSize: fixtureBytes(fileName).length,
      })),
    },
  })
  if (upload.mode === 'merge') expect(run.sourceFormat).toBe('merged')

  // Every row: as many as pstats has entries, and their calls add up to pstats' totals.
  const { rows } = await getJson<Stats>(`${base}/stats?limit=${Math.max(1, summary.functionCount)}`)
  expect(rows, id).toHaveLength(summary.functionCount)
  expect(rows.reduce((sum, row) => sum + row.ncalls, 0)).toBe(summary.totalCalls)
  expect(rows.reduce((sum, row) => sum + row.primitiveCalls, 0)).toBe(summary.primitiveCalls)

  // The document, read as the web app reads it, as stored and as its brotli copy (if any).
  for (const encoding of ['identity', 'br']) {
    const response = await fetch(`${base}/profile`, { headers: { 'accept-encoding': encoding } })
    expect(response.status).toBe(200)
    const profile = readProfileDocument(JSON.parse(await response.text()) as { formatVersion: 2 })
    expect(profile.summary).toEqual(expectedSummary)
    expect(profile.functions).toHaveLength(summary.functionCount)
  }

  // The uploaded files, byte for byte: /file is the first, /files/<i> each one.
  expect((await getBytes(`${base}/file`)).equals(fixtureBytes(upload.files[0]!))).toBe(true)
  for (const [index, file] of upload.files.entries()) {
    const bytes = await getBytes(`${base}/files/${index}`)
    expect(bytes.equals(fixtureBytes(file)), `${id} file ${index} (${file})`).toBe(true)
  }
}
