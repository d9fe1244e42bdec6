import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  findPython,
  getJson,
  lastLine,
  PROGRAMS,
  pstatsSummary,
  runClient,
  runCommand,
  runIdOf,
  startServer,
  tempDir,
} from './client-helper.ts'

const PROBE = path.join(PROGRAMS, 'probe.py')

interface ProbeReport {
  argv: string[]
  name: string
  path0: string
  pickled: boolean
}

/** Calls of probe.py's fibonacci(n) for n < 18 (each call of n > 1 makes two more). */
const FIBONACCI_CALLS = Array.from({ length: 18 }, (_, n) => n).reduce(
  (sum, n) => sum + callsOf(n),
  0,
)

function callsOf(n: number): number {
  return n < 2 ? 1 : 1 + callsOf(n - 1) + callsOf(n - 2)
}

async function readReport(file: string): Promise<ProbeReport> {
  return JSON.parse(await readFile(file, 'utf8')) as ProbeReport
}

// The oldest and the newest Python the client promises to run on.
describe.each(['3.8', '3.13'])('profhub.py run under Python %s', (version) => {
  it('profiles a script as python -m cProfile does, uploads it and prints the link last', async () => {
    const python = findPython(version)
    const server = await startServer()
    const dir = await tempDir()
    const prof = path.join(dir, 'probe.prof')
    // Outside any git work tree (git looks no further up than the temp folder): no labels.
    const noGit = { GIT_CEILING_DIRECTORIES: path.dirname(dir) }
    const env = { ...noGit, PROBE_OUT: path.join(dir, 'ours.json') }

    const ours = await runClient(
      python,
      ['run', '--server', server, '--no-open', '-o', prof, PROBE, 'a b', '--name', '-x'],
      { cwd: dir, env },
    )
    const reference = await runCommand(python, ['-m', 'cProfile', PROBE, 'a b', '--name', '-x'], {
      cwd: dir,
      env: { ...noGit, PROBE_OUT: path.join(dir, 'cprofile.json') },
    })

    expect(ours.stderr).toBe('')
    expect(ours.code).toBe(0)
    expect(reference.code).toBe(0)
    // The program's output first, the link alone on the last line.
    expect(ours.stdout.split('\n')[0]).toBe('probe says hello')
    const id = runIdOf(server, lastLine(ours.stdout))
    const seen = await readReport(env.PROBE_OUT)
    const expected = await readReport(path.join(dir, 'cprofile.json'))
    expect(seen.argv).toEqual([PROBE, 'a b', '--name', '-x'])
    expect(seen.argv).toEqual(expected.argv)
    expect(seen.name).toBe('__main__')
    expect(seen.name).toBe(expected.name)
    expect(seen.path0).toBe(PROGRAMS)
    expect(seen.path0).toBe(expected.path0)
    // Better than cProfile: the program is sys.modules['__main__'], so pickle finds its classes.
    expect(seen.pickled).toBe(true)

    const run = (await getJson(`${server}/api/runs/${id}`)) as Record<string, unknown>
    const truth = await pstatsSummary(python, prof)
    expect(run.summary).toEqual({ ...truth, totalTime: expect.closeTo(truth.totalTime, 12) })
    expect(truth.functionCount).toBeGreaterThan(5)
    expect(run.name).toBe('probe.py')
    expect(run.labels).toEqual({})
    const uploaded = await fetch(`${server}/api/runs/${id}/file`)
    expect(Buffer.from(await uploaded.arrayBuffer())).toEqual(await readFile(prof))
    // The run's `prof` export, loaded by this Python's pstats, reports the run's totals.
    const exported = await fetch(`${server}/api/runs/${id}/export/prof`)
    expect(exported.status).toBe(200)
    const exportedProf = path.join(dir, 'exported.prof')
    await writeFile(exportedProf, Buffer.from(await exported.arrayBuffer()))
    const fromExport = await pstatsSummary(python, exportedProf)
    expect(run.summary).toEqual({
      ...fromExport,
      totalTime: expect.closeTo(fromExport.totalTime, 12),
    })
    const stats = (await getJson(`${server}/api/runs/${id}/stats?filter=fibonacci`)) as {
      rows: { name: string; file: string; ncalls: number }[]
    }
    expect(stats.rows).toEqual([
      expect.objectContaining({ name: 'fibonacci', file: PROBE, ncalls: FIBONACCI_CALLS }),
    ])
  })

  it('profiles a module with -m as python -m cProfile -m does', async () => {
    const python = findPython(version)
    const server = await startServer()
    const dir = await tempDir()
    const env = { PROBE_OUT: path.join(dir, 'ours.json'), PROFHUB_URL: server }

    const ours = await runClient(python, ['run', '--no-open', '-m', 'probe', '1', '--x'], {
      cwd: PROGRAMS,
      env,
    })
    const reference = await runCommand(python, ['-m', 'cProfile', '-m', 'probe', '1', '--x'], {
      cwd: PROGRAMS,
      env: { PROBE_OUT: path.join(dir, 'cprofile.json') },
    })

    expect(ours.code).toBe(0)
    expect(reference.code).toBe(0)
    const seen = await readReport(env.PROBE_OUT)
    const expected = await readReport(path.join(dir, 'cprofile.json'))
    expect(seen).toEqual(expected)
    expect(seen).toMatchObject({ argv: ['probe', '1', '--x'], name: '__main__' })
    const id = runIdOf(server, lastLine(ours.stdout))
    const run = (await getJson(`${server}/api/runs/${id}`)) as { name: string }
    expect(run.name).toBe('-m probe')
    const stats = (await getJson(`${server}/api/runs/${id}/stats?filter=fibonacci`)) as {
      rows: { name: string }[]
    }
    expect(stats.rows.map((row) => row.name)).toEqual(['fibonacci'])
  })

  it("passes the program's exit code through, and uploads what ran before it", async () => {
    const python = findPython(version)
    const server = await startServer()
    const dir = await tempDir()

    const exited = await runClient(python, ['run', '--no-open', PROBE], {
      env: { PROBE_OUT: path.join(dir, 'a.json'), PROBE_EXIT: '3', PROFHUB_URL: server },
    })
    expect(exited.code).toBe(3)
    expect(exited.stderr).toBe('')
    const exitedId = runIdOf(server, lastLine(exited.stdout))

    const raised = await runClient(python, ['run', '--no-open', PROBE], {
      env: { PROBE_OUT: path.join(dir, 'b.json'), PROBE_EXIT: 'raise', PROFHUB_URL: server },
    })
    // As Python shows an uncaught exception: the program's frames only, and exit code 1.
    expect(raised.code).toBe(1)
    expect(raised.stderr).toMatch(
      /^Traceback \(most recent call last\):\n {2}File ".*probe\.py", line \d+, in <module>\n/,
    )
    expect(raised.stderr).toMatch(/\nValueError: the probe failed on purpose\n$/)
    expect(raised.stderr).not.toMatch(/profhub\.py|cProfile\.py/)
    const raisedId = runIdOf(server, lastLine(raised.stdout))

    for (const id of [exitedId, raisedId]) {
      const stats = (await getJson(`${server}/api/runs/${id}/stats?filter=fibonacci`)) as {
        rows: { ncalls: number }[]
      }
      expect(stats.rows).toEqual([expect.objectContaining({ ncalls: FIBONACCI_CALLS })])
    }
  })

  it('sends --name and --label, and opens the link with the browser unless --no-open', async () => {
    const python = findPython(version)
    const server = await startServer()
    const dir = await tempDir()
    const browserLog = path.join(dir, 'browser.log')
    const browser = `${python} ${path.join(PROGRAMS, 'record_browser.py')} %s`

    const result = await runClient(
      python,
      ['run', '--name', 'nightly ✓', '--label', 'branch=main', '--label', 'ci:job=a=b', PROBE],
      {
        env: {
          PROBE_OUT: path.join(dir, 'probe.json'),
          PROFHUB_URL: server,
          BROWSER: browser,
          BROWSER_LOG: browserLog,
        },
      },
    )

    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const link = lastLine(result.stdout)
    const run = (await getJson(`${server}/api/runs/${runIdOf(server, link)}`)) as object
    expect(run).toMatchObject({ name: 'nightly ✓', labels: { branch: 'main', 'ci:job': 'a=b' } })
    // The browser ran to its end before the link was printed.
    expect(await readFile(browserLog, 'utf8')).toBe(`${link}\n`)
  })
})
