import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fixturePath } from '@profhub/fixtures'
import { onTestFinished } from 'vitest'

// Documents as profhub.py run writes them, and uploads that carry them.

export const FIXTURE = 'recursion-py3.11.prof'
export const APP_FILE = '/home/me/app/rules.py'

export function memoryDocument() {
  return {
    formatVersion: 1,
    tool: 'tracemalloc',
    peakBytes: 28_311_552,
    finalBytes: 1_048_576,
    tracebackLimit: 10,
    overheadNote: 'tracemalloc made the run about 2x slower',
    lines: [
      { file: APP_FILE, line: 12, size: 700_000, count: 5000 },
      { file: '<frozen importlib._bootstrap>', line: 241, size: 1000, count: 4 },
    ],
    tracebacks: [
      {
        size: 700_000,
        count: 5000,
        frames: [
          { file: APP_FILE, line: 12 },
          { file: APP_FILE, line: 30 },
        ],
      },
    ],
  }
}

export function sourceBundle() {
  return {
    formatVersion: 1,
    files: [
      { path: APP_FILE, text: 'def rule(x):\n    return x * 2\n' },
      { path: '/home/me/app/main.py', text: 'import rules\n\nrules.rule(1)\n' },
    ],
  }
}

export function environmentDocument() {
  return {
    formatVersion: 1,
    python: { version: '3.12.3', implementation: 'CPython' },
    platform: { system: 'Linux', release: '6.1.0', machine: 'x86_64', node: 'build-7' },
    profiler: { name: 'cProfile', clock: 'perf_counter' },
    command: ['rules.py', '--size', '5000'],
    cwd: '/home/me/app',
    git: { commit: 'a'.repeat(40), branch: 'main', dirty: true },
    memory: true,
  }
}

export type Parts = Partial<Record<'memory' | 'source' | 'environment', unknown>>

/**
 * An upload of `files` (fixture names) with the parts given: objects as JSON, strings and
 * bytes as they are; as file parts, or as plain fields with `asFields`.
 */
export function partsForm(
  parts: Parts,
  { files = [FIXTURE], asFields = false, fields = [] as [string, string][] } = {},
): FormData {
  const form = new FormData()
  for (const [name, value] of fields) form.append(name, value)
  for (const file of files) form.append('file', new Blob([readFileSync(fixturePath(file))]), file)
  for (const [name, value] of Object.entries(parts)) {
    const body =
      typeof value === 'string' || value instanceof Uint8Array ? value : JSON.stringify(value)
    if (asFields && typeof body === 'string') form.append(name, body)
    else form.append(name, new Blob([body]), `${name}.json`)
  }
  return form
}

/** What `tracemalloc.Snapshot.dump` writes: a pickle, made by a real Python. */
export async function tracemallocPickle(): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'profhub-pickle-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'snapshot.pickle')
  const script = [
    'import sys, tracemalloc',
    'tracemalloc.start()',
    'data = [str(i) * 10 for i in range(1000)]',
    'tracemalloc.take_snapshot().dump(sys.argv[1])',
  ].join('\n')
  try {
    execFileSync('python3', ['-c', script, file])
  } catch (error) {
    throw new Error(
      `python3 is needed to write a real tracemalloc snapshot (apt-get install python3): ${String(error)}`,
    )
  }
  return readFile(file)
}
