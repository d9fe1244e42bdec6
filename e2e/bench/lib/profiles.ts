/** Benchmark inputs: generated call-DAG profiles of a given size, cached between runs. */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REPO } from './server.ts'

// The interpreter the server prefers, so the converter is timed as it runs in production.
export const PYTHON =
  process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3')
const CACHE = join(tmpdir(), 'profhub-bench-profiles')

/** `large-<n>.prof` from fixtures/programs/make_large.py (seed = n, so it is reproducible). */
export function generatedProfile(functions: number): string {
  mkdirSync(CACHE, { recursive: true })
  const out = join(CACHE, `large-${functions}.prof`)
  if (!existsSync(out)) {
    process.stderr.write(`generating a ${functions.toLocaleString('en-US')}-function profile…\n`)
    execFileSync(PYTHON, [
      join(REPO, 'fixtures/programs/make_large.py'),
      ...['--functions', String(functions), '--seed', String(functions)],
      ...['--appdir', join(CACHE, `app-${functions}`, 'large_app'), '--out', out],
    ])
  }
  return out
}
