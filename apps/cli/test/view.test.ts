import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import {
  cliEnv,
  closedPort,
  fixturePath,
  getJson,
  isListening,
  prepareCli,
  readSummary,
  runCli,
  runIdOf,
  serversOnStore,
  startCli,
  startServer,
  tempDir,
} from './helper.ts'

// `profhub view` starts servers: each test gives it minutes, for a busy two-core machine.
const SLOW = 180_000

beforeAll(prepareCli, SLOW)

function expectFixtureSummary(run: Record<string, unknown>, fixture: string) {
  const truth = readSummary(fixture)
  expect(run.summary).toEqual({
    totalTime: expect.closeTo(truth.totalTime, 12),
    totalCalls: truth.totalCalls,
    primitiveCalls: truth.primitiveCalls,
    functionCount: truth.functionCount,
  })
}

async function viewState(dataDir: string) {
  return JSON.parse(await readFile(path.join(dataDir, 'profhub-view.json'), 'utf8')) as {
    url: string
    serverPid: number
    ownerPid: number
  }
}

describe('profhub view with no server answering', () => {
  test(
    'starts one on the store, serves the run, stops on Ctrl-C and keeps the run',
    async () => {
      const { env, opened } = await cliEnv()
      const dataDir = path.join(await tempDir(), 'store')
      const nowhere = `http://127.0.0.1:${await closedPort()}`
      const fixture = 'recursion-py3.11.prof'

      const view = startCli(
        ['view', fixturePath(fixture), '--no-open', '--server', nowhere, '--data-dir', dataDir],
        env,
      )
      const [link] = await view.waitForLines(1)
      await view.waitForStderr('press Ctrl-C to stop')
      const base = new URL(link!).origin
      expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/runs\/[A-Za-z0-9_-]{22}$/)
      expect(view.stderr()).toContain(`no profhub server is usable at ${nowhere}`)

      const page = await fetch(link!)
      expect(page.status).toBe(200)
      expect(page.headers.get('content-type')).toMatch(/^text\/html/)
      const id = runIdOf(link!)
      expectFixtureSummary(await getJson(`${base}/api/runs/${id}`), fixture)
      const { serverPid } = await viewState(dataDir)
      expect(await viewState(dataDir)).toMatchObject({ url: base, ownerPid: view.child.pid })
      expect(await serversOnStore(dataDir)).toEqual([serverPid])

      view.child.kill('SIGINT')
      expect(await view.exit).toEqual({ code: 0, signal: null })
      // Stopped once, and its store closed (a second signal would make it exit at once).
      expect(view.stderr()).not.toContain('second')
      expect(existsSync(path.join(dataDir, 'profhub.sqlite-wal'))).toBe(false)
      expect(await isListening(base)).toBe(false)
      expect(await serversOnStore(dataDir)).toEqual([])
      expect(existsSync(path.join(dataDir, 'profhub-view.json'))).toBe(false)
      expect(await opened()).toEqual([])

      // Started again (no file: the list of runs), the store still has the run.
      const again = startCli(['view', '--no-open', '--server', nowhere, '--data-dir', dataDir], env)
      const [home] = await again.waitForLines(1)
      const listed = await getJson(`${home}api/runs`)
      expect((listed.runs as { id: string }[]).map((run) => run.id)).toEqual([id])
      again.child.kill('SIGTERM')
      expect(await again.exit).toEqual({ code: 0, signal: null })
      expect(again.stderr()).not.toContain('second')
      expect(existsSync(path.join(dataDir, 'profhub.sqlite-wal'))).toBe(false)
    },
    SLOW,
  )

  test(
    'a second view on the same store uses the first one’s server and returns',
    async () => {
      const { env, opened } = await cliEnv()
      const dataDir = path.join(await tempDir(), 'store')
      const nowhere = `http://127.0.0.1:${await closedPort()}`
      const args = ['--server', nowhere, '--data-dir', dataDir]

      const first = startCli(['view', fixturePath('rules-py3.11.prof'), '--no-open', ...args], env)
      const [firstLink] = await first.waitForLines(1)
      await first.waitForStderr('press Ctrl-C to stop')
      const base = new URL(firstLink!).origin
      const state = await viewState(dataDir)

      // This one opens its run (in the recording "browser") and ends: the first one serves.
      const second = await runCli(['view', fixturePath('shapes-py3.11.prof'), ...args], env)
      expect(second.code).toBe(0)
      const secondLink = second.stdout.trim()
      expect(new URL(secondLink).origin).toBe(base)
      expect(second.stderr).toContain(`already running (pid ${first.child.pid})`)
      expectFixtureSummary(
        await getJson(`${base}/api/runs/${runIdOf(secondLink)}`),
        'shapes-py3.11.prof',
      )
      await expect.poll(opened, { timeout: 30_000 }).toEqual([secondLink])
      // Still the first one's server, and no other.
      expect(await viewState(dataDir)).toEqual(state)
      expect(await serversOnStore(dataDir)).toEqual([state.serverPid])

      first.child.kill('SIGINT')
      expect(await first.exit).toEqual({ code: 0, signal: null })
      expect(await isListening(base)).toBe(false)
    },
    SLOW,
  )

  test(
    'a server whose view was killed is taken over, not doubled, and stopped on Ctrl-C',
    async () => {
      const { env } = await cliEnv()
      const dataDir = path.join(await tempDir(), 'store')
      const nowhere = `http://127.0.0.1:${await closedPort()}`
      const args = ['--no-open', '--server', nowhere, '--data-dir', dataDir]

      const first = startCli(['view', fixturePath('rules-py3.11.prof'), ...args], env)
      const [firstLink] = await first.waitForLines(1)
      await first.waitForStderr('press Ctrl-C to stop')
      const { serverPid } = await viewState(dataDir)
      first.child.kill('SIGKILL')
      await first.exit

      const second = startCli(['view', fixturePath('shapes-py3.11.prof'), ...args], env)
      const [secondLink] = await second.waitForLines(1)
      await second.waitForStderr('press Ctrl-C to stop')
      expect(new URL(secondLink!).origin).toBe(new URL(firstLink!).origin)
      expect(await viewState(dataDir)).toMatchObject({ serverPid, ownerPid: second.child.pid })
      expect(await serversOnStore(dataDir)).toEqual([serverPid])

      second.child.kill('SIGINT')
      expect(await second.exit).toEqual({ code: 0, signal: null })
      expect(await isListening(new URL(firstLink!).origin)).toBe(false)
      expect(await serversOnStore(dataDir)).toEqual([])
    },
    SLOW,
  )
})

test(
  'a file the server refuses: its message, exit code 1, and the server it started is stopped',
  async () => {
    const { env } = await cliEnv()
    const dataDir = path.join(await tempDir(), 'store')
    const nowhere = `http://127.0.0.1:${await closedPort()}`
    const bad = fixturePath('bad_random.prof')
    const result = await runCli(
      ['view', bad, '--no-open', '--server', nowhere, '--data-dir', dataDir],
      env,
    )
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(`profhub: ${bad}: `)
    expect(existsSync(path.join(dataDir, 'profhub.sqlite'))).toBe(true)
    expect(existsSync(path.join(dataDir, 'profhub-view.json'))).toBe(false)
    expect(await serversOnStore(dataDir)).toEqual([])
  },
  SLOW,
)

test(
  'profhub view uses the server that answers, and starts none',
  async () => {
    const server = await startServer()
    const { env, opened } = await cliEnv()
    const dataDir = path.join(await tempDir(), 'store')
    const fixture = 'jsondoc-py3.12.prof'

    const result = await runCli(
      ['view', fixturePath(fixture), '--server', server.url, '--data-dir', dataDir],
      env,
    )
    expect(result).toMatchObject({ code: 0, stderr: '' })
    const link = result.stdout.trim()
    expect(link).toMatch(new RegExp(`^${server.url}/runs/[A-Za-z0-9_-]{22}$`))
    expectFixtureSummary(await getJson(`${server.url}/api/runs/${runIdOf(link)}`), fixture)
    await expect.poll(opened, { timeout: 30_000 }).toEqual([link])
    expect(existsSync(dataDir)).toBe(false)
    expect(await serversOnStore(dataDir)).toEqual([])
  },
  SLOW,
)

test(
  'profhub view of several files: one run each, or one merged run',
  async () => {
    const server = await startServer()
    const { env } = await cliEnv()
    const files = ['rules-py3.11.prof', 'shapes-py3.11.prof'].map((name) => fixturePath(name))

    const separate = await runCli(['view', ...files, '--no-open', '--server', server.url], env)
    expect(separate.code).toBe(0)
    const links = separate.stdout.trim().split('\n')
    expect(links).toHaveLength(2)
    const names = await Promise.all(
      links.map(async (link) => (await getJson(`${server.url}/api/runs/${runIdOf(link)}`)).name),
    )
    expect(names).toEqual(['rules-py3.11.prof', 'shapes-py3.11.prof'])

    const merged = await runCli(
      ['view', ...files, '--merge', '--no-open', '--server', server.url],
      env,
    )
    expect(merged.code).toBe(0)
    const run = await getJson(`${server.url}/api/runs/${runIdOf(merged.stdout.trim())}`)
    expect(run).toMatchObject({ sourceFormat: 'merged', name: 'rules-py3.11.prof + 1 more' })
  },
  SLOW,
)
