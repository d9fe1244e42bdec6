import { type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fixturePath } from '@profhub/fixtures'
import { describe, expect, it, onTestFinished } from 'vitest'
import { useCompiledServers } from './compiled-server.ts'

// Two compiled servers on one DATA_DIR, as two `pnpm start` in the same folder would be.
const startServer = useCompiledServers()

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)))
}

/** A POST /api/runs whose body is sent in two halves: `finish` sends the rest. */
function slowUpload(url: string, file: string) {
  const boundary = 'profhub-slow-upload'
  const bytes = readFileSync(file)
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.prof"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  )
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  const half = Math.floor(bytes.length / 2)
  let finish = () => {}
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${url}/api/runs`, {
      method: 'POST',
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': head.length + bytes.length + tail.length,
      },
    })
    req.on('response', (res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => (body += chunk.toString()))
      res.on('end', () => resolve({ status: res.statusCode!, body }))
    })
    req.on('error', reject)
    req.write(Buffer.concat([head, bytes.subarray(0, half)]))
    finish = () => req.end(Buffer.concat([bytes.subarray(half), tail]))
  })
  // Awaited by the test; this only keeps a failed test from also reporting it as unhandled.
  response.catch(() => {})
  return { response, finish: () => finish() }
}

async function uploadsInFlight(dataDir: string): Promise<string[]> {
  return (await readdir(path.join(dataDir, 'tmp'))).filter((name) => name.endsWith('.upload'))
}

describe('one server per DATA_DIR', () => {
  it('refuses a second server, keeps the first one’s upload, and survives SIGKILL', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'profhub-lock-server-'))
    onTestFinished(() => rm(dataDir, { recursive: true, force: true }))
    const first = await startServer({ DATA_DIR: dataDir })

    const upload = slowUpload(first.url, fixturePath('large-20k.prof'))
    await expect.poll(() => uploadsInFlight(dataDir), { timeout: 60_000 }).toHaveLength(1)
    const [inFlight] = await uploadsInFlight(dataDir)

    const refused = await startServer({ DATA_DIR: dataDir }).then(
      () => new Error('the second server started'),
      (error: Error) => error,
    )
    // One line: the reason and what to do, no stack.
    expect(refused.message).toMatch(/^the server exited \(1\):\n[^\n]+\n?$/)
    expect(refused.message).toContain(
      `DATA_DIR ${dataDir} is in use by another profhub server (pid ${first.child.pid}). Stop it, or give this one another DATA_DIR.`,
    )
    expect(await uploadsInFlight(dataDir)).toEqual([inFlight])

    upload.finish()
    const created = await upload.response
    expect(created.status, created.body).toBe(201)
    const { id } = JSON.parse(created.body) as { id: string }

    // SIGKILL: no clean-up runs, only the OS releases the lock.
    const exited = exitOf(first.child)
    first.child.kill('SIGKILL')
    await exited
    const next = await startServer({ DATA_DIR: dataDir })
    const runs = (await (await fetch(`${next.url}/api/runs`)).json()) as { runs: { id: string }[] }
    expect(runs.runs.map((run) => run.id)).toEqual([id])
  })
})
