import { type ChildProcess } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { useCompiledServers } from './compiled-server.ts'
import {
  burstPlan,
  childProcesses,
  expectComplete,
  isRunning,
  listAllRuns,
  uploadBody,
} from './upload-burst.ts'

// A server killed (SIGKILL: no clean-up of any kind) while a burst of uploads is in every stage
// of its way: being received, waiting for a converter, converting, being stored, answered.
const startServer = useCompiledServers()
const ENV = { UPLOAD_RATE_LIMIT: '0' }

type Outcome = { kind: 'created'; id: string } | { kind: 'answered'; status: number; body: string }

function exitOf(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.on('exit', () => resolve())
  })
}

describe('a server killed during a burst of uploads', () => {
  it('keeps every upload it answered 201, complete, and nothing half-written', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'profhub-crash-'))
    const servers: ChildProcess[] = []
    onTestFinished(async () => {
      // A clean stop first: the restarted server may be making compressed copies in DATA_DIR.
      for (const child of servers) child.kill('SIGTERM')
      await Promise.all(servers.map(exitOf))
      await rm(dataDir, { recursive: true, force: true })
    })
    const first = await startServer({ ...ENV, DATA_DIR: dataDir })
    servers.push(first.child)
    const serverPid = first.child.pid!
    const exited = exitOf(first.child)

    const plan = burstPlan()
    const outcomes = new Map<number, Outcome>()
    // What DATA_DIR/tmp held and which processes the server had started, at the kill.
    const at: { kill: { tmp: string[]; children: number[] } | null } = { kill: null }
    const killOnce = () => {
      const created = [...outcomes].filter(([, o]) => o.kind === 'created')
      const merges = created.filter(([index]) => plan[index]!.mode === 'merge').length
      const pending = plan.length - outcomes.size
      // Enough answered to check (a merge among them), enough in flight to interrupt (the
      // large files convert last): kill now, synchronously.
      if (at.kill !== null || created.length < 10 || merges < 1 || pending < 5) return
      at.kill = { tmp: readdirSync(path.join(dataDir, 'tmp')), children: childProcesses(serverPid) }
      first.child.kill('SIGKILL')
    }
    const settled = plan.map(async (upload, index) => {
      try {
        const response = await fetch(`${first.url}/api/runs`, {
          method: 'POST',
          body: uploadBody(upload),
        })
        const body = await response.text()
        outcomes.set(
          index,
          response.status === 201
            ? { kind: 'created', id: (JSON.parse(body) as { id: string }).id }
            : { kind: 'answered', status: response.status, body },
        )
      } catch {
        // Cut off by the kill: may or may not have been stored, but never half.
      }
      killOnce()
    })
    await Promise.all(settled)
    await exited
    const atKill = at.kill
    if (atKill === null) {
      throw new Error(
        `the burst ended before the kill (${outcomes.size} answered):\n${first.output()}`,
      )
    }
    // Before the kill, every answer was a 201: no load error hides behind the crash.
    expect([...outcomes.values()].filter((o) => o.kind === 'answered')).toEqual([])
    const created = new Map(
      [...outcomes].flatMap(([index, o]) => (o.kind === 'created' ? [[o.id, plan[index]!]] : [])),
    )
    // Uploads were under way: the restart has temp files to clear.
    expect(atKill.tmp.length).toBeGreaterThan(0)

    // The server's shims and compressors stop with it (orphans.test.ts); once they are gone,
    // everything in tmp is the killed server's.
    await expect.poll(() => atKill.children.filter(isRunning), { timeout: 120_000 }).toEqual([])

    // The OS released the lock with the process: the next server starts on the same DATA_DIR,
    // and clears what the killed one left in tmp (before any request could add to it).
    const next = await startServer({ ...ENV, DATA_DIR: dataDir })
    servers.push(next.child)
    expect(await readdir(path.join(dataDir, 'tmp'))).toEqual([])

    const listed = await listAllRuns(next.url)
    const listedIds = listed.map((run) => run.id)
    for (const id of created.keys()) expect(listedIds, `answered 201: ${id}`).toContain(id)
    // The store holds exactly the listed runs: no directory of an uncommitted one.
    expect((await readdir(path.join(dataDir, 'runs'))).sort()).toEqual([...listedIds].sort())

    // Every listed run opens completely, answered or not (a run stored as the kill cut off its
    // answer): its name says which upload it was.
    for (const run of listed) {
      const upload = created.get(run.id) ?? plan.find((planned) => planned.name === run.name)
      expect(upload, `a listed run that no upload made: ${run.name}`).toBeDefined()
      await expectComplete(next.url, run.id, upload!)
    }
    // Nothing it served was missing or broken: no error or warning in its log.
    expect(next.output()).not.toMatch(/\b(WARN|ERROR|FATAL)\b/)
  })
})
