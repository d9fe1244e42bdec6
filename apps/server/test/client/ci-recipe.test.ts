import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  CLIENT,
  findPython,
  lastLine,
  runCommand,
  runIdOf,
  startServer,
  tempDir,
} from './client-helper.ts'
import { benchSource, commitFiles, git, initRepo } from './git-repo.ts'

// The README's "Profile in CI" recipe, run as a CI service would run it: its GitHub Actions
// step and its GitLab CI job are read from the README (the YAML blocks after MARKER), and
// their commands run with bash in a git repository checked out as CI does (a detached HEAD),
// with the variables the service would set, against a real server with an access token.

const README = path.resolve(import.meta.dirname, '../../../../README.md')
const SECTION = '## Profile in CI'
const MARKER = '<!-- run by apps/server/test/client/ci-recipe.test.ts -->'
const TOKEN = 'ci-recipe-token-2718'
const LABEL = 'project=myapp'
// Committer dates with offsets, as `git show --format=%cI` prints them.
const OLDER_DATE = '2026-12-01T09:30:00+01:00'
const NEWER_DATE = '2026-12-02T08:00:00-08:00'
// The runner's `python`: the oldest the client promises for GitHub, the image's for GitLab.
const GITHUB_PYTHON = '3.8'
const GITLAB_PYTHON = '3.12'

/** The YAML blocks of the README's CI section that MARKER announces, in order. */
function readMarkedBlocks(readme: string): string[] {
  const start = readme.indexOf(`\n${SECTION}\n`)
  if (start === -1) throw new Error(`README.md has no "${SECTION}" section`)
  const end = readme.indexOf('\n## ', start + 1)
  const section = readme.slice(start, end === -1 ? undefined : end)
  return section
    .split(MARKER)
    .slice(1)
    .map((after) => {
      const block = /^\s*```yaml\n([\s\S]*?)\n```/.exec(after)
      if (block === null) throw new Error(`README.md: no yaml block right after ${MARKER}`)
      return block[1]!
    })
}

/** The lines nested under the first line `key:` (or `key: |`), without their common indent. */
function nestedLines(lines: string[], key: string): string[] {
  const at = lines.findIndex((line) => new RegExp(`^\\s*(- )?${key}:( \\|)?$`).test(line))
  if (at === -1) throw new Error(`no "${key}:" in ${JSON.stringify(lines)}`)
  const indent = /^\s*(- )?/.exec(lines[at]!)![0].length
  const nested: string[] = []
  for (const line of lines.slice(at + 1)) {
    if (line.trim() !== '' && /^\s*/.exec(line)![0].length <= indent) break
    nested.push(line)
  }
  const depth = Math.min(...nested.filter((l) => l.trim()).map((l) => /^\s*/.exec(l)![0].length))
  return nested.map((line) => line.slice(depth))
}

/**
 * A GitHub Actions step (`- name:`, `env:`, `run: |`): the names its env sets and its script.
 * Only a literal block for `run` is read: it holds the shell text as is.
 */
function parseGithubStep(block: string): { env: string[]; script: string } {
  const lines = block.split('\n')
  const env = nestedLines(lines, 'env').map((line) => line.split(':')[0]!)
  return { env, script: nestedLines(lines, 'run').join('\n') + '\n' }
}

/**
 * A GitLab CI job's `script:` items, as one bash script that stops at the first that fails
 * (as the runner does). Plain YAML scalars only: one that YAML would read otherwise (quoted,
 * or holding ": " or " #") is refused rather than guessed.
 */
function parseGitlabJob(block: string): string {
  const items = nestedLines(block.split('\n'), 'script').map((line) => {
    const item = /^- (.*)$/.exec(line)
    if (item === null || /^["']|: | #/.test(item[1]!)) {
      throw new Error(`a script item this test cannot read as plain YAML: ${line}`)
    }
    return item[1]!
  })
  return ['set -eo pipefail', ...items].join('\n') + '\n'
}

/** GET with the token; the JSON answer. */
async function getWithToken(url: string): Promise<unknown> {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${TOKEN}` } })
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`)
  return response.json()
}

interface ListedRun {
  id: string
  labels: Record<string, string>
}

describe("the README's Profile in CI recipe", () => {
  it('labels each CI run with its branch, commit and commit-time, and the series is in commit order', async () => {
    const [githubBlock, gitlabBlock, ...rest] = readMarkedBlocks(await readFile(README, 'utf8'))
    expect(rest).toEqual([])
    const github = parseGithubStep(githubBlock!)
    expect(github.env).toEqual(['PROFHUB_URL', 'PROFHUB_TOKEN'])
    const gitlab = parseGitlabJob(gitlabBlock!)
    expect(gitlabBlock).toMatch(/^\s+image: python:3\.12$/m)

    const server = await startServer({ AUTH_TOKEN: TOKEN })
    const repo = await tempDir()
    const outside = await tempDir()
    await initRepo(repo, 'main')
    const older = await commitFiles(repo, { 'bench.py': benchSource(1000) }, OLDER_DATE)
    const newer = await commitFiles(repo, { 'bench.py': benchSource(2000) }, NEWER_DATE)

    /**
     * Runs a script with bash in the repository checked out at `commit` (detached, as CI
     * does), with the CI service's variables and `python` first on PATH; the run's id.
     */
    const runAt = async (
      commit: string,
      script: string,
      python: string,
      env: Record<string, string>,
    ) => {
      await git(repo, ['checkout', '-q', '--detach', commit])
      const bin = path.join(outside, commit)
      await mkdir(bin)
      await symlink(python, path.join(bin, 'python'))
      const file = path.join(bin, 'script.sh')
      await writeFile(file, script)
      const result = await runCommand('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
        cwd: repo,
        env: {
          PROFHUB_URL: server,
          PROFHUB_TOKEN: TOKEN,
          CI: 'true',
          ...env,
          PATH: `${bin}${path.delimiter}${process.env.PATH}`,
        },
      })
      expect(result.code, result.stderr).toBe(0)
      expect(result.stderr).toBe('')
      // The client the recipe ran is the one the server serves.
      expect(await readFile(path.join(repo, 'profhub.py'))).toEqual(await readFile(CLIENT))
      return runIdOf(server, lastLine(result.stdout))
    }

    // The newer commit first: a series is in commit order, not in upload order.
    const newerRun = await runAt(newer, github.script, findPython(GITHUB_PYTHON), {
      GITHUB_ACTIONS: 'true',
      GITHUB_HEAD_REF: '',
      GITHUB_REF_NAME: 'main',
      GITHUB_REF_TYPE: 'branch',
      GITHUB_SHA: newer,
    })
    const olderRun = await runAt(older, gitlab, findPython(GITLAB_PYTHON), {
      GITLAB_CI: 'true',
      CI_COMMIT_REF_NAME: 'main',
      CI_COMMIT_BRANCH: 'main',
      CI_COMMIT_SHA: older,
    })

    const query = new URLSearchParams({ label: LABEL })
    const listed = (await getWithToken(`${server}/api/runs?${query}`)) as { runs: ListedRun[] }
    expect(Object.fromEntries(listed.runs.map((run) => [run.id, run.labels]))).toEqual({
      [newerRun]: { project: 'myapp', branch: 'main', commit: newer, 'commit-time': NEWER_DATE },
      [olderRun]: { project: 'myapp', branch: 'main', commit: older, 'commit-time': OLDER_DATE },
    })
    // The times are the repository's committer dates as git prints them.
    expect(await git(repo, ['show', '-s', '--format=%cI', newer])).toBe(NEWER_DATE)
    expect(await git(repo, ['show', '-s', '--format=%cI', older])).toBe(OLDER_DATE)
    // Each ran on the `python` its CI put first on PATH.
    for (const [id, version] of [
      [newerRun, GITHUB_PYTHON],
      [olderRun, GITLAB_PYTHON],
    ] as const) {
      const run = (await getWithToken(`${server}/api/runs/${id}`)) as {
        environment: { python: { version: string } }
      }
      expect(run.environment.python.version.split('.').slice(0, 2).join('.')).toBe(version)
    }

    const series = (await getWithToken(`${server}/api/series?${query}`)) as {
      order: string
      runs: ListedRun[]
    }
    expect(series.order).toBe('commit-time')
    expect(series.runs.map((run) => run.id)).toEqual([olderRun, newerRun])
  })
})
