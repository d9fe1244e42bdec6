import { spawn } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { onTestFinished } from 'vitest'
import { build } from '../helper.ts'

/** The client as shipped: the file GET /profhub.py serves. */
export const CLIENT = path.resolve(import.meta.dirname, '../../client/profhub.py')
export const PROGRAMS = path.join(import.meta.dirname, 'programs')

const PYENV = '/root/.pyenv/versions'

/**
 * A Python of the given minor version (`3.8`): `$PYTHON_3_8`, else pyenv's build. Missing is
 * a failure that says how to get one: the client's promise is 3.8 to 3.13.
 */
export function findPython(version: string): string {
  const fromEnv = process.env[`PYTHON_${version.replace('.', '_')}`]
  if (fromEnv) return fromEnv
  const dirs = existsSync(PYENV) ? readdirSync(PYENV) : []
  const dir = dirs.find((name) => name === version || name.startsWith(`${version}.`))
  const python = dir && path.join(PYENV, dir, 'bin', 'python')
  if (python && existsSync(python)) return python
  throw new Error(
    `Python ${version} is needed to test profhub.py: install it (pyenv install ${version}) or set PYTHON_${version.replace('.', '_')} to its interpreter.`,
  )
}

/** The whole app on a temp DATA_DIR, listening on a free port; its base URL. */
export async function startServer(env: Record<string, string> = {}): Promise<string> {
  const { app } = await build(env)
  await app.listen({ port: 0, host: '127.0.0.1' })
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
}

/** A temp directory removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'profhub-client-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  return dir
}

export interface Finished {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * What a clean environment for profhub leaves out: the token, the server, a browser, the CI
 * variables it takes a branch from, and git's pointers to another repository (as a git hook
 * that runs the tests would set them).
 */
const UNSET = [
  'PROFHUB_URL',
  'PROFHUB_TOKEN',
  'BROWSER',
  'DISPLAY',
  'WAYLAND_DISPLAY',
  'PYTHONPATH',
  'PYTHONHOME',
  'PYTHONSTARTUP',
  'GITHUB_HEAD_REF',
  'GITHUB_REF_NAME',
  'GITHUB_REF_TYPE',
  'CI_COMMIT_REF_NAME',
  'CI_COMMIT_TAG',
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
]

/**
 * Runs a command to its end (no timeout of its own: Vitest's applies) with a clean
 * environment for profhub (UNSET) but what `env` sets.
 */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<Finished> {
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const name of UNSET) delete env[name]
  Object.assign(env, options.env)
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** `python profhub.py ARGS`. */
export function runClient(
  python: string,
  args: string[],
  options?: Parameters<typeof runCommand>[2],
): Promise<Finished> {
  return runCommand(python, [CLIENT, ...args], options)
}

/** The last line of stdout, which profhub.py keeps for the link. */
export function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? ''
}

/** The run id of a link `<server>/runs/<id>`; throws if the link is not one. */
export function runIdOf(server: string, link: string): string {
  const match = new RegExp(`^${escapeRegExp(server)}/runs/([A-Za-z0-9_-]{22})$`).exec(link)
  if (match === null) throw new Error(`not a run link of ${server}: ${JSON.stringify(link)}`)
  return match[1]!
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url)
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`)
  return response.json()
}

/** What that Python's own pstats reports for a profile, as the API's summary. */
export async function pstatsSummary(python: string, file: string) {
  const script = [
    'import json, pstats, sys',
    's = pstats.Stats(sys.argv[1])',
    'print(json.dumps({"totalTime": s.total_tt, "totalCalls": s.total_calls,',
    '  "primitiveCalls": s.prim_calls, "functionCount": len(s.stats)}))',
  ].join('\n')
  const result = await runCommand(python, ['-c', script, file])
  if (result.code !== 0) throw new Error(`pstats failed: ${result.stderr}`)
  return JSON.parse(result.stdout) as {
    totalTime: number
    totalCalls: number
    primitiveCalls: number
    functionCount: number
  }
}
