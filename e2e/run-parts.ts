import { execFile } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { expect, type APIRequestContext } from '@playwright/test'
import type { UploadedRun } from './fixtures.ts'

const run = promisify(execFile)
const HERE = import.meta.dirname
const RECORDER = path.join(HERE, 'programs/record_parts.py')

/** Debian's Python 3, and pyenv's versions for comparing Pythons. */
export const PYTHON = process.env.PYTHON ?? '/usr/bin/python3'
export const PYENV = '/root/.pyenv/versions'

export interface MemoryDoc {
  peakBytes: number
  finalBytes: number
  lines: { file: string; line: number; size: number; count: number }[]
}

export interface Recording {
  dir: string
  /** The script as the profile names it (absolute). */
  script: string
  prof: Buffer
  memory: MemoryDoc
  parts: { memory: Buffer; source: Buffer; environment: Buffer }
  environment: { python: { version: string } }
}

/**
 * Runs `script` under cProfile with tracemalloc on (programs/record_parts.py) with `python`, and
 * reads back the profile and the three JSON parts it wrote.
 */
export async function recordRun(
  script: string,
  args: string[] = [],
  python: string = PYTHON,
): Promise<Recording> {
  const dir = await mkdtemp(path.join(tmpdir(), 'profhub-parts-'))
  try {
    await run(python, [RECORDER, dir, script, ...args], { cwd: dir, timeout: 120_000 })
  } catch (error) {
    throw new Error(
      `Could not run ${python} (install that Python, e.g. with pyenv, to run this test): ${String(error)}`,
    )
  }
  const read = (name: string) => readFile(path.join(dir, name))
  const [prof, memory, source, environment] = await Promise.all([
    read('run.prof'),
    read('memory.json'),
    read('source.json'),
    read('environment.json'),
  ])
  return {
    dir,
    script: path.resolve(script),
    prof,
    memory: JSON.parse(memory.toString('utf8')) as MemoryDoc,
    parts: { memory, source, environment },
    environment: JSON.parse(environment.toString('utf8')) as Recording['environment'],
  }
}

/** The first Python under pyenv whose version starts with `minor` (`3.11`). */
export function pyenvPython(minor: string, versions: readonly string[]): string {
  const version = versions.find((v) => v.startsWith(`${minor}.`))
  if (!version) {
    throw new Error(`No Python ${minor} under ${PYENV}: install it (pyenv install ${minor}).`)
  }
  return path.join(PYENV, version, 'bin/python')
}

/** `1,234 bytes`, as the page writes an exact size. */
export function exactBytes(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'byte' : 'bytes'}`
}

/** POST /api/runs with the profile and the parts named in `parts` (as profhub.py sends them). */
export async function uploadRecording(
  request: APIRequestContext,
  recording: Pick<Recording, 'prof' | 'parts'>,
  {
    name,
    parts = ['memory', 'source', 'environment'],
    labels = [],
  }: {
    name: string
    parts?: readonly ('memory' | 'source' | 'environment')[]
    labels?: readonly string[]
  },
): Promise<UploadedRun> {
  const form = new FormData()
  form.append('name', name)
  for (const label of labels) form.append('label', label)
  for (const part of parts) {
    form.append(
      part,
      new Blob([new Uint8Array(recording.parts[part])], { type: 'application/json' }),
      `${part}.json`,
    )
  }
  form.append('file', new Blob([new Uint8Array(recording.prof)]), 'run.prof')
  const response = await request.post('/api/runs', { multipart: form })
  expect(response.status(), await response.text()).toBe(201)
  return (await response.json()) as UploadedRun
}
