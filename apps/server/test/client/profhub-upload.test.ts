import { copyFile, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import path from 'node:path'
import { fixturePath, readSummary } from '@profhub/fixtures'
import { describe, expect, it, onTestFinished } from 'vitest'
import { build } from '../helper.ts'
import {
  CLIENT,
  findPython,
  getJson,
  PROGRAMS,
  runClient,
  runIdOf,
  startServer,
  tempDir,
} from './client-helper.ts'

// The oldest Python the client promises to run on.
const PYTHON_VERSION = '3.8'
const RULES = ['rules_cache1000.prof', 'rules_cache5000.prof', 'rules-py3.11.prof']

/** A port with nothing listening: bound, noted, closed. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

function links(stdout: string): string[] {
  return stdout.trimEnd().split('\n')
}

describe('profhub.py upload', () => {
  it('uploads each file as its own run and prints one link per line, in order', async () => {
    const python = findPython(PYTHON_VERSION)
    const server = await startServer()
    const files = ['recursion-py3.11.prof', 'shapes-py3.11.prof']

    const result = await runClient(python, [
      'upload',
      '--server',
      server,
      '--label',
      'suite=client',
      ...files.map(fixturePath),
    ])

    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const printed = links(result.stdout)
    expect(printed).toHaveLength(2)
    for (const [index, link] of printed.entries()) {
      const run = (await getJson(`${server}/api/runs/${runIdOf(server, link)}`)) as object
      const { totalCalls, functionCount } = readSummary(files[index]!)
      expect(run).toMatchObject({
        name: files[index],
        labels: { suite: 'client' },
        summary: { totalCalls, functionCount },
      })
    }
  })

  it('merges files into one run with --merge, as pstats.Stats(a).add(b, c) does', async () => {
    const python = findPython(PYTHON_VERSION)
    const server = await startServer()

    const result = await runClient(python, [
      'upload',
      '--merge',
      '--name',
      'all the rules',
      '--server',
      server,
      ...RULES.map(fixturePath),
    ])

    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const [link, ...more] = links(result.stdout)
    expect(more).toEqual([])
    const run = (await getJson(`${server}/api/runs/${runIdOf(server, link!)}`)) as object
    const { totalTime, totalCalls, primitiveCalls, functionCount } = readSummary(
      'merged-rules-py3.11.prof',
    )
    expect(run).toMatchObject({
      name: 'all the rules',
      sourceFormat: 'merged',
      summary: { totalTime, totalCalls, primitiveCalls, functionCount },
    })
  })

  it('sends any file name without breaking the upload, encoded as browsers do', async () => {
    const python = findPython(PYTHON_VERSION)
    const server = await startServer()
    const file = path.join(await tempDir(), 'a "quoted"\r\nnamé\\with; name="x".prof')
    await copyFile(fixturePath('recursion-py3.11.prof'), file)

    const result = await runClient(python, ['upload', '--server', server, file])

    expect(result.stderr).toBe('')
    const id = runIdOf(server, result.stdout.trim())
    expect(await getJson(`${server}/api/runs/${id}`)).toMatchObject({
      name: 'a %22quoted%22%0D%0Anamé%5Cwith; name=%22x%22.prof',
      summary: { functionCount: readSummary('recursion-py3.11.prof').functionCount },
    })
  })

  it('says in one line that the server cannot be reached, and exits 3', async () => {
    const python = findPython(PYTHON_VERSION)
    const port = await closedPort()

    const result = await runClient(python, ['upload', fixturePath('recursion-py3.11.prof')], {
      env: { PROFHUB_URL: `http://127.0.0.1:${port}` },
    })

    expect(result.code).toBe(3)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(
      `profhub: cannot reach http://127.0.0.1:${port} (connection refused). Start it with \`pnpm start\` or set PROFHUB_URL.\n`,
    )
  })

  it("shows the server's message for a file that is not a profile, and exits 4", async () => {
    const python = findPython(PYTHON_VERSION)
    const server = await startServer()
    const bad = fixturePath('bad_truncated.prof')
    const refused = (await (
      await fetch(`${server}/api/runs`, { method: 'POST', body: await formWith(bad) })
    ).json()) as { message: string }

    const result = await runClient(python, ['upload', '--server', server, bad])

    expect(result.code).toBe(4)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(
      `profhub: ${bad}: the server refused the upload (400 Bad Request): ${refused.message}\n`,
    )
  })

  it('refuses bad arguments before uploading anything, with exit code 2', async () => {
    const python = findPython(PYTHON_VERSION)
    const server = await startServer()
    const file = fixturePath('recursion-py3.11.prof')
    const missing = path.join(await tempDir(), 'nothing here.prof')

    const cases: [string[], RegExp][] = [
      [['upload', file, missing], /^profhub: cannot read .*nothing here\.prof: no such file\n$/],
      [['upload', '--label', 'no equals sign', file], /has no '='/],
      [['upload', '--label', 'bad key=1', file], /key 'bad key'/],
      [['upload', '--name', 'one name', file, file], /--name is for one run/],
      [['upload', '--server', 'ftp://example.com', file], /not an http:\/\/ or https:\/\/ URL/],
      [['run', '--no-open', missing], /^profhub: no such script: .*nothing here\.prof\n$/],
      // Before the program runs, not after: a profile nobody can keep is not worth taking.
      [
        ['run', '--no-open', '-o', path.join(missing, 'x.prof'), path.join(PROGRAMS, 'probe.py')],
        /^profhub: -o .*x\.prof: the folder .*nothing here\.prof does not exist\n$/,
      ],
      [['upload'], /^usage: profhub\.py upload/],
    ]
    for (const [args, message] of cases) {
      const result = await runClient(python, args, { env: { PROFHUB_URL: server } })
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({
        args,
        code: 2,
        stderr: expect.stringMatching(message),
      })
    }
    expect((await getJson(`${server}/api/runs`)) as object).toMatchObject({ runs: [] })
  })

  it('keeps the profile of a run it could not upload, and says where', async () => {
    const python = findPython(PYTHON_VERSION)
    const port = await closedPort()
    const dir = await tempDir()

    const result = await runClient(python, ['run', '--no-open', path.join(PROGRAMS, 'probe.py')], {
      env: { PROFHUB_URL: `http://127.0.0.1:${port}`, PROBE_OUT: path.join(dir, 'p.json') },
    })

    expect(result.code).toBe(3)
    const kept = /The profile is kept in (\S+\.prof):/.exec(result.stderr)?.[1]
    expect(kept, result.stderr).toBeDefined()
    onTestFinished(() => rm(kept!, { force: true }))
    // The kept file is a real profile: the server takes it.
    const server = await startServer()
    const retry = await runClient(python, ['upload', '--server', server, kept!])
    expect(retry.code).toBe(0)
    const stats = await getJson(
      `${server}/api/runs/${runIdOf(server, retry.stdout.trim())}/stats?filter=fibonacci`,
    )
    expect(stats).toMatchObject({ rows: [{ name: 'fibonacci' }] })
  })
})

describe('GET /profhub.py', () => {
  it('serves the client, byte for byte, as a Python file to save', async () => {
    const { app } = await build()
    const response = await app.inject('/profhub.py')

    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/x-python; charset=utf-8')
    expect(response.headers['content-disposition']).toBe('attachment; filename="profhub.py"')
    expect(response.rawPayload).toEqual(await readFile(CLIENT))
  })
})

async function formWith(file: string): Promise<FormData> {
  const form = new FormData()
  form.append('file', new Blob([await readFile(file)]), path.basename(file))
  return form
}
