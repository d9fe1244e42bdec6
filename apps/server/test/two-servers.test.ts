import type { ChildProcess } from 'node:child_process'
import type { Run } from '@profhub/api'
import { describe, expect, it, onTestFinished } from 'vitest'
import { useCompiledServers } from './compiled-server.ts'
import { createDatabase, startPostgres } from './services/postgres.ts'
import { startS3 } from './services/s3.ts'
import {
  burstPlan,
  expectComplete,
  fixtureBytes,
  getJson,
  listAllRuns,
  type PlannedUpload,
  uploadBody,
} from './upload-burst.ts'

// Two profhub processes behind one load balancer: one PostgreSQL database, one object store,
// a DATA_DIR each (temp files only). Nothing acknowledged may be lost or duplicated, and no
// server may answer from a stale picture of a run the other one changed.
const startServer = useCompiledServers()

type Outcome = { server: 'a' | 'b'; upload: PlannedUpload } & (
  | { kind: 'created'; id: string }
  | { kind: 'answered'; status: number; body: string }
  | { kind: 'cut off' }
)

async function send(url: string, method: string, body?: unknown): Promise<Response> {
  return fetch(url, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  })
}

async function uploadOne(base: string, upload: PlannedUpload): Promise<Run> {
  const response = await fetch(`${base}/api/runs`, { method: 'POST', body: uploadBody(upload) })
  const text = await response.text()
  if (response.status !== 201) throw new Error(`upload: ${response.status} ${text}`)
  return JSON.parse(text) as Run
}

function exitOf(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.on('exit', () => resolve())
  })
}

describe('two servers on one PostgreSQL database and one object store', () => {
  it('share one truth, and a killed one loses nothing it acknowledged', async () => {
    const postgres = await startPostgres()
    onTestFinished(() => postgres.stop())
    const s3 = await startS3()
    onTestFinished(() => s3.stop())
    const env = {
      UPLOAD_RATE_LIMIT: '0',
      DATABASE_URL: await createDatabase(postgres.url),
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: await s3.createBucket(),
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    }
    const started = Date.now()
    // Started together: both run the migrations, one after the other (an advisory lock).
    const [a, b] = await Promise.all([startServer(env), startServer(env)])

    // One run, changed through one server and read through the other, each after it cached
    // the run's table.
    const single: PlannedUpload = {
      files: ['rules-py3.11.prof'],
      mode: 'separate',
      name: 'rules-py3.11.prof',
      truth: 'rules-py3.11.prof',
    }
    const run = await uploadOne(a.url, single)
    let reads = 0
    for (const server of [a, b]) {
      await expectComplete(server.url, run.id, single)
      reads += 1
    }
    expect(
      (await send(`${b.url}/api/runs/${run.id}`, 'PATCH', { name: 'renamed on b' })).status,
    ).toBe(200)
    expect((await getJson<Run>(`${a.url}/api/runs/${run.id}`)).name).toBe('renamed on b')
    expect(
      (await send(`${a.url}/api/runs/${run.id}`, 'PATCH', { note: 'noted on a' })).status,
    ).toBe(200)
    expect(await getJson<Run>(`${b.url}/api/runs/${run.id}`)).toMatchObject({
      name: 'renamed on b',
      note: 'noted on a',
    })
    const found = await getJson<{ runs: Run[] }>(
      `${a.url}/api/runs?q=${encodeURIComponent('RENAMED ON')}`,
    )
    expect(found.runs.map((r) => r.id)).toEqual([run.id])
    expect((await send(`${b.url}/api/runs/${run.id}`, 'DELETE')).status).toBe(204)
    for (const server of [a, b]) {
      for (const part of ['', '/stats', '/profile', '/file', '/files/0']) {
        const response = await fetch(`${server.url}/api/runs/${run.id}${part}`)
        expect(response.status, `${part} after the delete`).toBe(404)
        await response.arrayBuffer()
      }
    }
    expect((await send(`${a.url}/api/runs/${run.id}`, 'DELETE')).status).toBe(404)

    // A burst of uploads on both at once; server a is killed (SIGKILL) part way.
    const plan = burstPlan()
    const outcomes: Outcome[] = []
    const at: { kill: { answeredByA: number; pendingOnA: number } | null } = { kill: null }
    const exitedA = exitOf(a.child)
    const settled = plan.map(async (upload, index) => {
      const server = index % 2 === 0 ? ('a' as const) : ('b' as const)
      const base = server === 'a' ? a.url : b.url
      try {
        const response = await fetch(`${base}/api/runs`, {
          method: 'POST',
          body: uploadBody(upload),
        })
        const body = await response.text()
        outcomes.push(
          response.status === 201
            ? { server, upload, kind: 'created', id: (JSON.parse(body) as Run).id }
            : { server, upload, kind: 'answered', status: response.status, body },
        )
      } catch {
        outcomes.push({ server, upload, kind: 'cut off' })
      }
      const byA = outcomes.filter((o) => o.server === 'a')
      const pendingOnA = Math.ceil(plan.length / 2) - byA.length
      if (at.kill === null && byA.length >= 5 && pendingOnA >= 3) {
        at.kill = { answeredByA: byA.length, pendingOnA }
        a.child.kill('SIGKILL')
      }
    })
    await Promise.all(settled)
    await exitedA
    const killedAt = at.kill
    if (killedAt === null) throw new Error('the burst ended before server a was killed')
    // No error but the cut-off connections: b answered every one of its uploads.
    expect(outcomes.filter((o) => o.kind === 'answered')).toEqual([])
    expect(outcomes.filter((o) => o.server === 'b' && o.kind !== 'created')).toEqual([])
    const created = outcomes.flatMap((o) => (o.kind === 'created' ? [o] : []))

    // Everything acknowledged is listed once, through b and through a restarted a.
    const restartedA = await startServer(env)
    for (const server of [b, restartedA]) {
      const listed = await listAllRuns(server.url)
      const ids = listed.map((r) => r.id)
      expect(new Set(ids).size, 'no run listed twice').toBe(ids.length)
      for (const o of created) expect(ids, `answered 201 by ${o.server}: ${o.id}`).toContain(o.id)
      // A run stored just as the kill cut off its answer is complete too; nothing else is there.
      expect(listed.length).toBeLessThanOrEqual(created.length + killedAt.pendingOnA)
      for (const listedRun of listed) {
        const upload =
          created.find((o) => o.id === listedRun.id)?.upload ??
          plan.find((planned) => planned.name === listedRun.name)
        expect(upload, `a listed run that no upload made: ${listedRun.name}`).toBeDefined()
        await expectComplete(server.url, listedRun.id, upload!)
        reads += 1
      }
    }
    const bytes = created.reduce(
      (sum, o) => sum + o.upload.files.reduce((s, f) => s + fixtureBytes(f).length, 0),
      0,
    )
    console.info(
      `two servers: ${plan.length + 1} uploads (${created.length} acknowledged, ${(
        bytes / 1e6
      ).toFixed(1)} MB), a killed after ${killedAt.answeredByA} answers with ${
        killedAt.pendingOnA
      } pending, ${reads} complete run reads, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    )
    expect(b.output()).not.toMatch(/\b(ERROR|FATAL)\b/)
  })
})
