import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import path from 'node:path'
import { fixturePath } from '@profhub/fixtures'
import { describe, expect, it, onTestFinished } from 'vitest'
import { useCompiledServers } from './compiled-server.ts'
import { createDatabase, startPostgres } from './services/postgres.ts'
import { S3RVER_CREDENTIALS, startS3 } from './services/s3.ts'

// The compiled server, started as users start it: `node dist/server.js` (`pnpm start`).
const startServer = useCompiledServers()

async function waitHealthy(url: string): Promise<void> {
  await expect
    .poll(async () => (await fetch(`${url}/api/health`).catch(() => null))?.status, {
      timeout: 120_000,
    })
    .toBe(200)
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)))
}

describe('the compiled server', () => {
  it('starts with plain node, answers, and stops cleanly on SIGINT', async () => {
    const { child, url } = await startServer()
    await waitHealthy(url)
    const exited = exitOf(child)
    child.kill('SIGINT')
    expect(await exited).toBe(0)
  })

  it('starts while every core is busy', async () => {
    // Busy loops at normal priority on every core, for as long as the start takes. With
    // Fastify's default plugin timeout (10 s) a start this slow used to abort.
    const hogs = Array.from({ length: availableParallelism() * 2 }, () =>
      spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
    )
    onTestFinished(() => hogs.forEach((hog) => hog.kill('SIGKILL')))
    const { child, url } = await startServer()
    await waitHealthy(url)
    const upload = new FormData()
    upload.append(
      'file',
      new Blob([await readFile(fixturePath('recursion-py3.11.prof'))]),
      'r.prof',
    )
    const response = await fetch(`${url}/api/runs`, { method: 'POST', body: upload })
    expect(response.status).toBe(201)
    for (const hog of hogs) hog.kill('SIGKILL')
    const exited = exitOf(child)
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })

  it('logs one short line for a refused request and nothing for the others', async () => {
    const { child, url, output } = await startServer({ LOG_LEVEL: 'info' })
    await waitHealthy(url)
    const before = output()
    expect((await fetch(`${url}/api/runs`)).status).toBe(200)
    const refused = await fetch(`${url}/api/runs/${'A'.repeat(22)}`)
    expect(refused.status).toBe(404)
    expect((await fetch(`${url}/api/nope`)).status).toBe(404)
    await expect.poll(() => output().slice(before.length)).toContain('/api/nope 404')
    const exited = exitOf(child)
    child.kill('SIGINT')
    await exited
    const lines = output().slice(before.length).trim().split('\n')
    // The 404 and the closing line; no JSON objects, no line for the 200.
    expect(lines.filter((line) => line.includes('/api/'))).toEqual([
      expect.stringMatching(/INFO.*GET \/api\/runs\/A{22} 404 Not Found: There is no run/),
      expect.stringMatching(/INFO.*GET \/api\/nope 404 There is no such API endpoint/),
    ])
    expect(lines.some((line) => line.trimStart().startsWith('{'))).toBe(false)
  })

  it('logs JSON lines with a request id it also answers, unique across servers or as sent', async () => {
    const { url, output } = await startServer({ LOG_FORMAT: 'json', LOG_LEVEL: 'info' })
    await waitHealthy(url)
    const missing = `${url}/api/runs/${'A'.repeat(22)}`
    const first = await fetch(missing)
    const second = await fetch(missing, { headers: { 'x-request-id': 'lb-7f3a.1:2' } })
    const hostile = await fetch(missing, { headers: { 'x-request-id': 'a b' } })
    const ids = [first, second, hostile].map((response) => response.headers.get('x-request-id'))
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(ids[1]).toBe('lb-7f3a.1:2')
    expect(ids[2]).toMatch(/^[0-9a-f-]{36}$/)
    expect(ids[2]).not.toBe(ids[0])
    // Each refused request's log line is JSON carrying the id it was answered with.
    await expect
      .poll(() =>
        output()
          .split('\n')
          .filter((line) => line.includes('/api/runs/AAAA'))
          .map((line) => (JSON.parse(line) as { reqId?: string }).reqId),
      )
      .toEqual(ids)
  })

  it('finishes the uploads under way when asked to stop (SIGTERM), then exits', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'profhub-stop-'))
    onTestFinished(() => rm(dataDir, { recursive: true, force: true }))
    const { child, url } = await startServer({ UPLOAD_RATE_LIMIT: '0', DATA_DIR: dataDir })
    await waitHealthy(url)
    const bytes = await readFile(fixturePath('large-20k.prof'))
    const uploads = Array.from({ length: 3 }, (_, index) => {
      const form = new FormData()
      form.append('file', new Blob([bytes]), `large-${index}.prof`)
      return fetch(`${url}/api/runs`, { method: 'POST', body: form })
    })
    // Stopped as soon as the first upload is being received: the others are on their way.
    let answered = 0
    for (const upload of uploads) void upload.then(() => (answered += 1))
    await expect
      .poll(async () => (await readdir(path.join(dataDir, 'tmp'))).length)
      .toBeGreaterThan(0)
    expect(answered).toBeLessThan(3)
    const exited = exitOf(child)
    child.kill('SIGTERM')
    const statuses = await Promise.all(uploads.map(async (upload) => (await upload).status))
    expect(statuses).toEqual([201, 201, 201])
    expect(await exited).toBe(0)
    // Stored for good: a new server on the same DATA_DIR lists them.
    const next = await startServer({ DATA_DIR: dataDir })
    const { runs } = (await (await fetch(`${next.url}/api/runs`)).json()) as { runs: unknown[] }
    expect(runs).toHaveLength(3)
  })

  it('refuses to start, in one line saying which, when the database or the bucket cannot be used', async () => {
    const refusal = (env: Record<string, string>) =>
      startServer(env).then(
        () => new Error('the server started'),
        (error: Error) => error,
      )
    const noDatabase = await refusal({
      DATABASE_URL: 'postgres://profhub:pw-3c1f@127.0.0.1:1/runs',
    })
    expect(noDatabase.message).toMatch(/^the server exited \(1\):\n[^\n]+\n?$/)
    expect(noDatabase.message).toContain(
      'The PostgreSQL database at 127.0.0.1:1/runs (DATABASE_URL) cannot be used: connect ECONNREFUSED',
    )
    expect(noDatabase.message).not.toContain('pw-3c1f')

    const postgres = await startPostgres()
    onTestFinished(() => postgres.stop())
    const s3 = await startS3()
    onTestFinished(() => s3.stop())
    const noBucket = await refusal({
      DATABASE_URL: await createDatabase(postgres.url),
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: 'no-such-bucket',
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    })
    expect(noBucket.message).toMatch(/^the server exited \(1\):\n[^\n]+\n?$/)
    expect(noBucket.message).toContain(
      `object storage ${s3.endpoint} bucket "no-such-bucket" cannot be used: the bucket does not exist`,
    )
  })
})
