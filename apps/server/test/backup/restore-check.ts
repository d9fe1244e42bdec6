import type { Run } from '@profhub/api'
import { expect } from 'vitest'
import { getBytes, listAllRuns, type PlannedUpload, uploadBody } from '../upload-burst.ts'

// What a backup test does on both sides: the same runs made on the original server (uploads,
// a merge, a rename with untrusted text, a note), uploads that keep going while the backup is
// taken, and the check that a server on the restored copy answers exactly as the original did.

const single = (file: string): PlannedUpload => ({
  files: [file],
  mode: 'separate',
  name: file,
  truth: file,
})

/** cProfile, `profile`, yappi, Python 2.7 and a merge of three files. */
export const SEED: PlannedUpload[] = [
  single('rules-py3.11.prof'),
  single('recursion-profile-py3.11.prof'),
  single('jsondoc-yappi.prof'),
  single('hostile_names-py2.7.prof'),
  {
    files: ['rules_cache1000.prof', 'rules_cache5000.prof', 'rules-py3.11.prof'],
    mode: 'merge',
    name: 'rules_cache1000.prof + 2 more',
    truth: 'merged-rules-py3.11.prof',
  },
]

/** Small files, for uploads that keep going during a backup. */
const ONGOING = ['recursion-py3.11.prof', 'shapes-py3.11.prof', 'tokenizer-py3.11.prof']

/** A name a restore must keep byte for byte: NUL, a bidi override, an escape, astral. */
export const HOSTILE_NAME = 'renamed \u0000 \u202e \u001b[31m 𝄞'

export async function upload(url: string, planned: PlannedUpload): Promise<Run> {
  const response = await fetch(`${url}/api/runs`, { method: 'POST', body: uploadBody(planned) })
  const text = await response.text()
  if (response.status !== 201) throw new Error(`upload: ${response.status} ${text}`)
  return JSON.parse(text) as Run
}

async function patch(url: string, id: string, body: object): Promise<void> {
  const response = await fetch(`${url}/api/runs/${id}`, {
    method: 'PATCH',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  })
  expect(response.status, await response.text()).toBe(200)
}

export async function deleteRun(url: string, id: string): Promise<void> {
  const response = await fetch(`${url}/api/runs/${id}`, { method: 'DELETE' })
  expect(response.status).toBe(204)
}

/** Uploads SEED, renames the first run, gives the second a note; returns the runs' ids. */
export async function seedRuns(url: string): Promise<string[]> {
  const ids: string[] = []
  for (const planned of SEED) ids.push((await upload(url, planned)).id)
  await patch(url, ids[0]!, { name: HOSTILE_NAME })
  await patch(url, ids[1]!, { note: 'kept\nacross the backup \u0000' })
  return ids
}

export interface OngoingUploads {
  /** The runs answered 201 so far, in that order. */
  acknowledged: string[]
  /** Resolves once the first upload is acknowledged: uploads are under way. */
  started: Promise<void>
  /** Lets the upload in flight finish, then stops; fails if any upload failed. */
  stop(): Promise<void>
}

/** Uploads one small file after another until stopped. */
export function keepUploading(url: string): OngoingUploads {
  const acknowledged: string[] = []
  let stopping = false
  let markStarted: () => void = () => {}
  const started = new Promise<void>((resolve) => (markStarted = resolve))
  const loop = (async () => {
    for (let index = 0; !stopping; index += 1) {
      acknowledged.push((await upload(url, single(ONGOING[index % ONGOING.length]!))).id)
      markStarted()
    }
  })()
  // A failure before `stop` is awaited must not be unhandled; `stop` reports it.
  loop.catch(() => {})
  return {
    acknowledged,
    started: Promise.race([started, loop]),
    async stop() {
      stopping = true
      await loop
    },
  }
}

/** What a run's pages are answered, as bytes: the run, all its stats rows, its first file. */
export interface RunAnswers {
  run: string
  stats: string
  file: Buffer
}

export async function readRunAnswers(url: string, id: string): Promise<RunAnswers> {
  const base = `${url}/api/runs/${id}`
  return {
    run: (await getBytes(base)).toString('utf8'),
    stats: (await getBytes(`${base}/stats?limit=1000000`)).toString('utf8'),
    file: await getBytes(`${base}/file`),
  }
}

/** The answers of every run the server lists, by id. */
export async function readAllRuns(url: string): Promise<Map<string, RunAnswers>> {
  const answers = new Map<string, RunAnswers>()
  for (const run of await listAllRuns(url)) answers.set(run.id, await readRunAnswers(url, run.id))
  return answers
}

/**
 * Every run the restored server lists was on the original and answers the same bytes there
 * (`original`: read from the original server); every run of `required` is listed. Returns how
 * many runs the restored server lists.
 */
export async function expectSameRuns(
  restoredUrl: string,
  original: Map<string, RunAnswers>,
  required: string[],
): Promise<number> {
  const listed = await listAllRuns(restoredUrl)
  const ids = listed.map((run) => run.id)
  expect(new Set(ids).size, 'no run listed twice').toBe(ids.length)
  for (const id of required) expect(ids, `acknowledged before the backup: ${id}`).toContain(id)
  for (const id of ids) {
    const before = original.get(id)
    expect(before, `a restored run the original never had: ${id}`).toBeDefined()
    const after = await readRunAnswers(restoredUrl, id)
    expect(after.run, `${id}: /api/runs/:id`).toBe(before!.run)
    expect(after.stats, `${id}: /stats`).toBe(before!.stats)
    expect(after.file.equals(before!.file), `${id}: /file`).toBe(true)
  }
  return ids.length
}
