import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  CLIENT,
  findPython,
  getJson,
  lastLine,
  runClient,
  runCommand,
  runIdOf,
  startServer,
  tempDir,
} from './client-helper.ts'
import { benchSource, commitFiles, git, initRepo } from './git-repo.ts'

// `profhub.py run` labels a run made in a git work tree with its branch, commit and
// commit-time, which put a series (the runs that share a label value) in commit order.

const FIRST_DATE = '2026-11-30T22:15:00-05:00'
const SECOND_DATE = '2026-12-01T09:30:00+01:00'

interface RunRecord {
  labels: Record<string, string>
  environment: { git?: { commit: string; branch?: string | null; dirty: boolean } | null }
}

/** `profhub.py run [args] bench.py` in `dir`; the run as the API answers it, and stderr. */
async function runBench(
  python: string,
  server: string,
  dir: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<{ run: RunRecord; stderr: string }> {
  const result = await runClient(
    python,
    ['run', '--server', server, '--no-open', ...args, 'bench.py'],
    { cwd: dir, env },
  )
  expect(result.code, result.stderr).toBe(0)
  const id = runIdOf(server, lastLine(result.stdout))
  return { run: (await getJson(`${server}/api/runs/${id}`)) as RunRecord, stderr: result.stderr }
}

describe.each(['3.8', '3.13'])('profhub.py run under Python %s in a git work tree', (version) => {
  it('labels the run with the branch, the full commit hash and the committer date', async () => {
    const python = findPython(version)
    const server = await startServer()
    const dir = await tempDir()
    await initRepo(dir, 'feature/faster-parse')
    const commit = await commitFiles(dir, { 'bench.py': benchSource(1000) }, FIRST_DATE)

    const { run, stderr } = await runBench(python, server, dir)

    expect(stderr).toBe('')
    expect(commit).toMatch(/^[0-9a-f]{40}$/)
    expect(run.labels).toEqual({
      branch: 'feature/faster-parse',
      commit,
      'commit-time': FIRST_DATE,
    })
    expect(await git(dir, ['show', '-s', '--format=%cI', 'HEAD'])).toBe(FIRST_DATE)
    expect(run.environment.git).toEqual({ commit, branch: 'feature/faster-parse', dirty: false })
  })
})

describe('profhub.py run: the git labels', () => {
  const python = () => findPython('3.8')

  it('records none outside a git work tree, even where CI variables name a branch', async () => {
    const server = await startServer()
    const dir = await tempDir()
    await writeFile(path.join(dir, 'bench.py'), benchSource(1000))
    const env = {
      // git looks no further up than the temp folder, wherever it is.
      GIT_CEILING_DIRECTORIES: path.dirname(dir),
      GITHUB_REF_NAME: 'main',
      CI_COMMIT_REF_NAME: 'main',
    }

    const { run, stderr } = await runBench(python(), server, dir, ['--label', 'suite=a'], env)

    expect(stderr).toBe('')
    expect(run.labels).toEqual({ suite: 'a' })
    expect(run.environment.git ?? null).toBeNull()
  })

  it('lets --label win over a git label, and records none of them with --no-git-labels', async () => {
    const server = await startServer()
    const dir = await tempDir()
    await initRepo(dir, 'main')
    const commit = await commitFiles(dir, { 'bench.py': benchSource(1000) }, FIRST_DATE)

    const given = await runBench(python(), server, dir, ['--label', 'branch=x'])
    expect(given.stderr).toBe('')
    expect(given.run.labels).toEqual({ branch: 'x', commit, 'commit-time': FIRST_DATE })

    const none = await runBench(python(), server, dir, ['--no-git-labels', '--label', 'suite=a'])
    expect(none.stderr).toBe('')
    expect(none.run.labels).toEqual({ suite: 'a' })
    // The environment still says where the program came from.
    expect(none.run.environment.git).toEqual({ commit, branch: 'main', dirty: false })

    const help = await runClient(python(), ['run', '--help'])
    expect(help.stdout).toContain('--no-git-labels')
  })

  it("takes a detached HEAD's branch from GitHub's or GitLab's variables, never from a tag", async () => {
    const server = await startServer()
    const dir = await tempDir()
    await initRepo(dir, 'main')
    const first = await commitFiles(dir, { 'bench.py': benchSource(1000) }, FIRST_DATE)
    await commitFiles(dir, { 'bench.py': benchSource(2000) }, SECOND_DATE)
    // As CI services check out: the commit itself, on no branch.
    await git(dir, ['checkout', '-q', '--detach', first])
    const fromGit = { commit: first, 'commit-time': FIRST_DATE }

    const cases: [Record<string, string>, string | undefined][] = [
      [{}, undefined],
      // A push: GitHub sets GITHUB_HEAD_REF, empty.
      [{ GITHUB_HEAD_REF: '', GITHUB_REF_NAME: 'main', GITHUB_REF_TYPE: 'branch' }, 'main'],
      [{ GITHUB_REF_NAME: 'main' }, 'main'],
      // A pull request: its source branch, not "<number>/merge".
      [{ GITHUB_HEAD_REF: 'feature/x', GITHUB_REF_NAME: '12/merge' }, 'feature/x'],
      [{ GITHUB_REF_NAME: 'v1.0', GITHUB_REF_TYPE: 'tag' }, undefined],
      [{ CI_COMMIT_REF_NAME: 'develop' }, 'develop'],
      [{ CI_COMMIT_REF_NAME: 'v2.0', CI_COMMIT_TAG: 'v2.0' }, undefined],
    ]
    for (const [env, branch] of cases) {
      const { run, stderr } = await runBench(python(), server, dir, [], env)
      expect(stderr).toBe('')
      expect(run.labels, JSON.stringify(env)).toEqual(branch ? { ...fromGit, branch } : fromGit)
      expect(run.environment.git).toEqual({ commit: first, branch: null, dirty: false })
    }
  })

  it('leaves out a git label the server would refuse, says so, and uploads the run', async () => {
    const server = await startServer()
    const dir = await tempDir()
    await initRepo(dir, 'main')
    const commit = await commitFiles(dir, { 'bench.py': benchSource(1000) }, FIRST_DATE)
    await git(dir, ['checkout', '-q', '--detach', commit])

    const long = await runBench(python(), server, dir, [], { GITHUB_REF_NAME: 'b'.repeat(501) })
    expect(long.stderr).toBe('profhub: label branch left out: its value is over 500 characters\n')
    expect(long.run.labels).toEqual({ commit, 'commit-time': FIRST_DATE })

    const fifty = Array.from({ length: 50 }, (_, i) => ['--label', `k${i}=${i}`]).flat()
    const full = await runBench(python(), server, dir, fifty)
    expect(full.stderr).toBe(
      ['commit', 'commit-time']
        .map((key) => `profhub: label ${key} left out: --label gave the 50 labels a run may have\n`)
        .join(''),
    )
    expect(Object.keys(full.run.labels)).toHaveLength(50)
    expect(full.run.labels).not.toHaveProperty('commit')
  })
})

// Debian's IPython (python3-ipython) for /usr/bin/python3, as profhub-ipython.test.ts uses.
const IPYTHON = process.env.IPYTHON_PYTHON ?? '/usr/bin/python3'

describe('%profhub in a git work tree', () => {
  it('labels the run as `run` does, and not with --no-git-labels', async () => {
    const probe = await runCommand(IPYTHON, ['-c', 'import IPython'])
    expect(probe.code, `IPython is missing for ${IPYTHON}: run scripts/ensure-ipython.sh`).toBe(0)
    const server = await startServer()
    const dir = await tempDir()
    await initRepo(dir, 'main')
    const commit = await commitFiles(dir, { 'bench.py': benchSource(1000) }, FIRST_DATE)
    // The session and IPython's own files outside the repository.
    const home = await tempDir()
    const session = path.join(home, 'session.ipy')
    await writeFile(
      session,
      '%load_ext profhub\n%profhub -n sum(range(10))\n%profhub -n --no-git-labels sum(range(10))\n',
    )

    const result = await runCommand(
      IPYTHON,
      ['-m', 'IPython', '--no-banner', '--quick', '--colors=NoColor', session],
      {
        cwd: dir,
        env: { PYTHONPATH: path.dirname(CLIENT), PROFHUB_URL: server, IPYTHONDIR: home },
      },
    )

    expect(result.code, result.stderr).toBe(0)
    const links = result.stdout
      .split('\n')
      .flatMap((line) => /http:\/\/\S+\/runs\/[\w-]+/.exec(line) ?? [])
    expect(links).toHaveLength(2)
    const [labelled, plain] = await Promise.all(
      links.map(
        async (link) => (await getJson(`${server}/api/runs/${runIdOf(server, link)}`)) as RunRecord,
      ),
    )
    expect(labelled!.labels).toEqual({ branch: 'main', commit, 'commit-time': FIRST_DATE })
    expect(plain!.labels).toEqual({})
  })
})
