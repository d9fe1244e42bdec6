import { beforeAll, describe, expect, test } from 'vitest'
import {
  cliEnv,
  closedPort,
  fixturePath,
  prepareCli,
  runCli,
  runIdOf,
  startServer,
  type TestServer,
} from './helper.ts'

beforeAll(prepareCli)

/** Uploads each (fixture, name) in order; returns the run ids. */
async function seed(server: TestServer, runs: [string, string][]): Promise<string[]> {
  const { env } = await cliEnv()
  const ids: string[] = []
  for (const [fixture, name] of runs) {
    const result = await runCli(
      ['upload', fixturePath(fixture), '--name', name, '--server', server.url],
      env,
    )
    if (result.code !== 0) throw new Error(result.stderr)
    ids.push(runIdOf(result.stdout.trim()))
  }
  return ids
}

describe('profhub list', () => {
  test('a table of the newest runs, with names made harmless for the terminal', async () => {
    const server = await startServer()
    const [first, second] = await seed(server, [
      ['rules-py3.11.prof', 'rules'],
      ['shapes-py3.11.prof', 'evil\x1b]0;pwned\x07\x1b[2J name'],
    ])
    const { env } = await cliEnv()
    const result = await runCli(['list', '--server', server.url], env)
    expect(result).toMatchObject({ code: 0, stderr: '' })
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^ID +CREATED +TOTAL TIME +NAME$/)
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${second} +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +\\d+\\.\\d{3} s +` +
            'evil\\\\u001b\\]0;pwned\\\\u0007\\\\u001b\\[2J name$',
        ),
      ),
      expect.stringMatching(new RegExp(`^${first} .* rules$`)),
    ])
    expect(result.stdout).not.toContain('\x1b')
  })

  test('--json for scripts, --limit to cut it', async () => {
    const server = await startServer()
    const ids = await seed(server, [
      ['rules-py3.11.prof', 'a'],
      ['shapes-py3.11.prof', 'b'],
      ['recursion-py3.11.prof', 'c'],
    ])
    const { env } = await cliEnv({ PROFHUB_URL: server.url })
    const result = await runCli(['list', '--json', '--limit', '2'], env)
    expect(result).toMatchObject({ code: 0, stderr: '' })
    const runs = JSON.parse(result.stdout) as { id: string; name: string; link: string }[]
    expect(runs.map((run) => [run.id, run.name, run.link])).toEqual([
      [ids[2], 'c', `${server.url}/runs/${ids[2]}`],
      [ids[1], 'b', `${server.url}/runs/${ids[1]}`],
    ])
    expect(runs[0]).toMatchObject({ createdAt: expect.any(String), summary: expect.any(Object) })
  })

  test('an empty server says so', async () => {
    const server = await startServer()
    const { env } = await cliEnv()
    const result = await runCli(['list', '--server', server.url], env)
    expect(result).toEqual({ code: 0, stdout: `No runs on ${server.url} yet.\n`, stderr: '' })
  })

  test.each([['0'], ['-3'], ['2.5'], ['many'], ['10001']])(
    '--limit %s is a usage error',
    async (limit) => {
      const { env } = await cliEnv()
      const result = await runCli(['list', `--limit=${limit}`], env)
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('--limit takes a whole number from 1 to 10000')
    },
  )
})

describe('profhub open', () => {
  test('prints the link, and opens it unless --no-open', async () => {
    const server = await startServer()
    const [id] = await seed(server, [['rules-py3.11.prof', 'rules']])
    const link = `${server.url}/runs/${id}`
    const { env, opened } = await cliEnv()

    const quiet = await runCli(['open', id!, '--no-open', '--server', server.url], env)
    expect(quiet).toEqual({ code: 0, stdout: `${link}\n`, stderr: '' })
    expect(await opened()).toEqual([])

    const loud = await runCli(['open', id!, '--server', server.url], env)
    expect(loud).toEqual({ code: 0, stdout: `${link}\n`, stderr: '' })
    await expect.poll(opened, { timeout: 30_000 }).toEqual([link])
  })

  test('a run link is opened on its own server, whatever PROFHUB_URL says', async () => {
    const server = await startServer()
    const [id] = await seed(server, [['rules-py3.11.prof', 'rules']])
    const nowhere = `http://127.0.0.1:${await closedPort()}`
    const { env } = await cliEnv({ PROFHUB_URL: nowhere })
    const result = await runCli(
      ['open', `${server.url}/runs/${id}?v=2&tab=table`, '--no-open'],
      env,
    )
    expect(result).toEqual({ code: 0, stdout: `${server.url}/runs/${id}\n`, stderr: '' })
  })

  test('an unknown run is the server’s 404 message, exit code 1', async () => {
    const server = await startServer()
    const { env, opened } = await cliEnv()
    // An id may begin with "-": still a run id, not an option.
    for (const id of ['AAAAAAAAAAAAAAAAAAAAAA', '-AAAAAAAAAAAAAAAAAAAAA']) {
      const result = await runCli(['open', id, '--server', server.url], env)
      expect(result.code).toBe(1)
      expect(result.stdout).toBe('')
      expect(result.stderr).toMatch(/^profhub: .+\n$/)
      expect(result.stderr).not.toContain('option')
    }
    expect(await opened()).toEqual([])
  })

  test.each([['not a run!'], ['ftp://host/runs/abc']])('%j is a usage error', async (ref) => {
    const { env } = await cliEnv()
    const result = await runCli(['open', ref], env)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('not a run id or a run link')
  })
})
