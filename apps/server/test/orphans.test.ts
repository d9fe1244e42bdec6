/**
 * A SIGKILL does not reach a server's child processes. Its process launcher (its IPC channel
 * ends), the converter (the kernel kills it with its parent: PR_SET_PDEATHSIG) and the brotli
 * compressor (its stdin pipe from the launcher ends) must stop with the server anyway: an orphan would go on using a core, and write its output
 * into DATA_DIR/tmp after the next server had emptied it.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { craftedProfile } from '@profhub/fixtures'
import { describe, expect, it, onTestFinished } from 'vitest'
import { useCompiledServers } from './compiled-server.ts'
import { childProcesses, isRunning } from './upload-burst.ts'

const startServer = useCompiledServers()

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
  } catch {
    return ''
  }
}

/** The processes below `pid` (its children, theirs…) whose command line matches. */
function descendants(pid: number, pattern: RegExp): number[] {
  const below = childProcesses(pid)
  return [
    ...below.filter((child) => pattern.test(commandLine(child))),
    ...below.flatMap((child) => descendants(child, pattern)),
  ]
}

function post(url: string, file: string): Promise<Response | null> {
  const form = new FormData()
  form.append('file', new Blob([readFileSync(file)]), path.basename(file))
  return fetch(`${url}/api/runs`, { method: 'POST', body: form }).catch(() => null)
}

describe('a killed server', () => {
  it('takes its converter and its compressor along, and they leave no file behind', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'profhub-orphans-'))
    onTestFinished(() => rm(dir, { recursive: true, force: true }))
    const dataDir = path.join(dir, 'data')
    // 300,000 functions: seconds of conversion, and a 60 MB document to compress
    const big = craftedProfile('functions', 300_000, path.join(dir, 'big.prof'))
    const server = await startServer({ DATA_DIR: dataDir, UPLOAD_RATE_LIMIT: '0' })
    const pid = server.child.pid!

    // The first upload is stored; its brotli copy is then made by a child process.
    const first = await post(server.url, big)
    expect(first?.status).toBe(201)
    let compressors: number[] = []
    await expect
      .poll(() => (compressors = descendants(pid, /\s-e\s/)).length, { timeout: 120_000 })
      .toBeGreaterThan(0)
    // The second is converting when the server dies.
    const second = post(server.url, big)
    let shims: number[] = []
    await expect
      .poll(() => (shims = descendants(pid, /pstats_to_json\.py/)).length, { timeout: 120_000 })
      .toBeGreaterThan(0)
    const compressing = compressors.filter(isRunning)
    const launchers = descendants(pid, /launcher\.js/)
    expect(launchers).toHaveLength(1)

    server.child.kill('SIGKILL')
    expect(await second).toBeNull()
    await expect
      .poll(() => [...launchers, ...shims, ...compressing].filter(isRunning), { timeout: 60_000 })
      .toEqual([])
    // The converter writes its output only once done, the compressor into a scratch file it
    // removes when it stops: neither left anything (only the cut-off upload's own bytes).
    const tmp = readdirSync(path.join(dataDir, 'tmp'))
    expect(tmp.filter((name) => !name.endsWith('.upload'))).toEqual([])
  })
})
