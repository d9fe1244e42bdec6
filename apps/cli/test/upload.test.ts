import { beforeAll, describe, expect, test } from 'vitest'
import {
  cliEnv,
  closedPort,
  fixturePath,
  getJson,
  prepareCli,
  readSummary,
  runCli,
  runIdOf,
  runInTerminal,
  startServer,
  type TestServer,
} from './helper.ts'

beforeAll(prepareCli)

async function runCount(server: TestServer): Promise<number> {
  return ((await getJson(`${server.url}/api/runs`)).runs as unknown[]).length
}

describe('profhub upload', () => {
  test('prints the link of each run, in the files’ order', async () => {
    const server = await startServer()
    const { env, opened } = await cliEnv()
    const fixtures = ['recursion-py3.11.prof', 'hostile_names.prof']
    const result = await runCli(
      ['upload', ...fixtures.map((name) => fixturePath(name)), '--server', server.url],
      env,
    )
    expect(result).toMatchObject({ code: 0, stderr: '' })
    const links = result.stdout.trimEnd().split('\n')
    expect(links).toHaveLength(2)
    for (const [index, link] of links.entries()) {
      expect(link).toMatch(new RegExp(`^${server.url}/runs/[A-Za-z0-9_-]{22}$`))
      const run = await getJson(`${server.url}/api/runs/${runIdOf(link)}`)
      const truth = readSummary(fixtures[index]!)
      expect(run).toMatchObject({
        name: fixtures[index],
        summary: {
          totalTime: expect.closeTo(truth.totalTime, 12),
          totalCalls: truth.totalCalls,
          functionCount: truth.functionCount,
        },
      })
    }
    expect(await opened()).toEqual([])
  })

  test('--merge --name makes one named run, with the --label labels', async () => {
    const server = await startServer()
    const { env } = await cliEnv()
    const files = ['rules-py3.11.prof', 'shapes-py3.11.prof'].map((name) => fixturePath(name))
    const result = await runCli(
      [
        'upload',
        ...files,
        '--merge',
        '--name',
        'both',
        '--label',
        'branch=main',
        '--label',
        'ci=1',
      ],
      { ...env, PROFHUB_URL: server.url },
    )
    expect(result).toMatchObject({ code: 0, stderr: '' })
    const run = await getJson(`${server.url}/api/runs/${runIdOf(result.stdout.trim())}`)
    expect(run).toMatchObject({
      name: 'both',
      sourceFormat: 'merged',
      labels: { branch: 'main', ci: '1' },
    })
  })

  test('a big upload ends with a one-line summary on stderr when it is not a terminal', async () => {
    const server = await startServer()
    const { env } = await cliEnv()
    const result = await runCli(
      ['upload', fixturePath('large-20k.prof'), '--server', server.url],
      env,
    )
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/^profhub: uploaded 3\.4 MB in \d+\.\d s\n$/)
  })

  test('a big upload shows its progress on a terminal', async () => {
    const server = await startServer()
    const { env } = await cliEnv()
    const result = await runInTerminal(
      ['upload', fixturePath('large-20k.prof'), '--server', server.url],
      env,
    )
    expect(result.code).toBe(0)
    // Redrawn in place (\r, erase line), up to the last byte, then the link and the summary.
    expect(result.output).toContain('\r\x1b[Kprofhub: uploaded 3.4 MB, converting…')
    expect(result.output).toMatch(new RegExp(`\\r\\x1b\\[K${server.url}/runs/[A-Za-z0-9_-]{22}\\n`))
    expect(result.output).toMatch(/profhub: uploaded 3\.4 MB in \d+\.\d s\n$/)
    expect(await runCount(server)).toBe(1)
  })

  test('a file the server refuses stops the upload with its message', async () => {
    const server = await startServer()
    const { env } = await cliEnv()
    const good = fixturePath('rules-py3.11.prof')
    const bad = fixturePath('bad_truncated.prof')
    const result = await runCli(['upload', good, bad, good, '--server', server.url], env)
    expect(result.code).toBe(1)
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1)
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(/^profhub: .*bad_truncated\.prof: .*Upload/)
    expect(await runCount(server)).toBe(1)
  })

  test('a missing file is found before anything is sent', async () => {
    const server = await startServer()
    const { env } = await cliEnv()
    const result = await runCli(
      ['upload', fixturePath('rules-py3.11.prof'), '/nonexistent/x.prof', '--server', server.url],
      env,
    )
    expect(result).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'profhub: /nonexistent/x.prof: no such file\n',
    })
    expect(await runCount(server)).toBe(0)
  })

  test.each([
    [[], 'give the .prof files to upload'],
    [['a.prof', 'b.prof', '--name', 'x'], '--name names one run'],
    [['a.prof', '--label', 'novalue'], '--label takes KEY=VALUE, not novalue'],
    [['a.prof', '--label', '=v'], '--label takes KEY=VALUE'],
    [['a.prof', '--bogus'], "Unknown option '--bogus'"],
  ])('usage errors exit with 2: upload %j', async (args, message) => {
    const { env } = await cliEnv()
    const result = await runCli(['upload', ...args], env)
    expect(result).toMatchObject({ code: 2, stdout: '' })
    expect(result.stderr).toContain(message)
    expect(result.stderr).toContain('(see profhub upload --help)')
  })
})

describe('no server at the address', () => {
  test.each([
    ['upload', fixturePath('rules-py3.11.prof')],
    ['list'],
    ['open', 'AAAAAAAAAAAAAAAAAAAAAA', '--no-open'],
    ['export', 'AAAAAAAAAAAAAAAAAAAAAA', '--format', 'csv', '-o', '-'],
  ])('profhub %s: one line, exit code 3', async (...args) => {
    const { env } = await cliEnv()
    const nowhere = `http://127.0.0.1:${await closedPort()}`
    const result = await runCli([...args, '--server', nowhere], env)
    expect(result).toEqual({
      code: 3,
      stdout: '',
      stderr: `profhub: cannot reach a profhub server at ${nowhere}: connection refused (set --server or PROFHUB_URL)\n`,
    })
  })
})
