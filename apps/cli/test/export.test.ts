import { existsSync } from 'node:fs'
import { readFile, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, expect, test } from 'vitest'
import {
  cliEnv,
  fixturePath,
  getJson,
  prepareCli,
  readSummary,
  runCli,
  runIdOf,
  runInTerminal,
  startServer,
  tempDir,
  type TestServer,
} from './helper.ts'

beforeAll(prepareCli)

const CSV_HEADER =
  'file,line,function,ncalls,primitive_calls,tottime,tottime_percall,cumtime,cumtime_percall'

async function seedRun(server: TestServer, fixture: string, name?: string): Promise<string> {
  const { env } = await cliEnv()
  const named = name === undefined ? [] : ['--name', name]
  const result = await runCli(
    ['upload', fixturePath(fixture), ...named, '--server', server.url],
    env,
  )
  if (result.code !== 0) throw new Error(result.stderr)
  return runIdOf(result.stdout.trim())
}

test('to stdout with -o -, or when stdout is a pipe', async () => {
  const server = await startServer()
  const id = await seedRun(server, 'rules-py3.11.prof')
  const { env } = await cliEnv()

  const csv = await runCli(
    ['export', id, '--format', 'csv', '-o', '-', '--server', server.url],
    env,
  )
  expect(csv).toMatchObject({ code: 0, stderr: '' })
  const lines = csv.stdout.trimEnd().split(/\r?\n/)
  expect(lines[0]).toBe(CSV_HEADER)
  expect(lines).toHaveLength(1 + readSummary('rules-py3.11.prof').functionCount)

  const text = await runCli(['export', `${server.url}/runs/${id}`, '-f', 'pstats'], env)
  expect(text).toMatchObject({ code: 0, stderr: '' })
  expect(text.stdout).toContain('function calls')
  expect(text.stdout).toContain('Ordered by: cumulative time')
})

test('-o FILE: a .prof that uploads as the same profile', async () => {
  const server = await startServer()
  const fixture = 'recursion-py3.11.prof'
  const id = await seedRun(server, fixture)
  const { env } = await cliEnv({ PROFHUB_URL: server.url })
  const dir = await tempDir()
  const file = path.join(dir, 'copy.prof')
  await writeFile(file, 'to be replaced')

  const result = await runCli(['export', id, '--format', 'prof', '-o', file], env)
  expect(result.code).toBe(0)
  expect(result.stderr).toMatch(/^profhub: wrote .*copy\.prof \(\d+(\.\d)? k?B\)\n$/)
  const again = await runCli(['upload', file], env)
  const run = await getJson(`${server.url}/api/runs/${runIdOf(again.stdout.trim())}`)
  const truth = readSummary(fixture)
  expect(run.summary).toEqual({
    totalTime: expect.closeTo(truth.totalTime, 12),
    totalCalls: truth.totalCalls,
    primitiveCalls: truth.primitiveCalls,
    functionCount: truth.functionCount,
  })
})

test('on a terminal: a new file named by the server, never overwritten', async () => {
  const server = await startServer()
  // The server drops the slash; the leading dots would make a hidden file, and go too.
  const id = await seedRun(server, 'rules-py3.11.prof', '../my run')
  const { env } = await cliEnv({ PROFHUB_URL: server.url })
  const dir = await tempDir()

  const first = await runInTerminal(['export', id, '--format', 'speedscope'], env, dir)
  expect(first.code).toBe(0)
  expect(first.output).toMatch(/^profhub: wrote my run\.speedscope\.json \(\d+(\.\d)? kB\)\n$/)
  expect(await readdir(dir)).toEqual(['my run.speedscope.json'])
  const document = JSON.parse(await readFile(path.join(dir, 'my run.speedscope.json'), 'utf8'))
  expect(document.$schema).toBe('https://www.speedscope.app/file-format-schema.json')

  const second = await runInTerminal(['export', id, '--format', 'speedscope'], env, dir)
  expect(second.code).toBe(1)
  expect(second.output).toBe(
    'profhub: cannot write my run.speedscope.json: it already exists (choose a name with -o)\n',
  )
})

test('an unknown run fails with the server’s message and leaves no file', async () => {
  const server = await startServer()
  const { env } = await cliEnv({ PROFHUB_URL: server.url })
  const dir = await tempDir()
  const file = path.join(dir, 'out.csv')
  const result = await runCli(['export', 'AAAAAAAAAAAAAAAAAAAAAA', '-f', 'csv', '-o', file], env)
  expect(result.code).toBe(1)
  expect(result.stderr).toMatch(/^profhub: .+\n$/)
  expect(existsSync(file)).toBe(false)
})

test.each([
  [['AAAAAAAAAAAAAAAAAAAAAA'], '--format takes one of prof, pstats, csv, callgrind, speedscope'],
  [['AAAAAAAAAAAAAAAAAAAAAA', '-f', 'svg'], 'speedscope, not svg'],
  [['-f', 'csv'], 'give one run id or link'],
])('usage errors exit with 2: export %j', async (args, message) => {
  const { env } = await cliEnv()
  const result = await runCli(['export', ...args], env)
  expect(result.code).toBe(2)
  expect(result.stderr).toContain(message)
})
