import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { runCommand } from './client-helper.ts'

/**
 * `git ARGS` in `dir` with none of this machine's configuration (its signing, hooks or default
 * branch would change what a test makes); its stdout, trimmed. Throws with git's stderr.
 */
export async function git(
  dir: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<string> {
  const result = await runCommand(
    'git',
    ['-c', 'user.name=profhub test', '-c', 'user.email=test@example.com', ...args],
    { cwd: dir, env: { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...env } },
  )
  if (result.code !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`)
  return result.stdout.trim()
}

/** A new repository in `dir`, on `branch` (no commit yet). */
export async function initRepo(dir: string, branch: string): Promise<void> {
  await git(dir, ['init', '-q', '-b', branch])
}

/**
 * Writes `files` (path in the repository → text) and commits them with this author and
 * committer date (ISO 8601 with an offset, as `%cI` prints it). Answers the full hash.
 */
export async function commitFiles(
  dir: string,
  files: Record<string, string>,
  date: string,
): Promise<string> {
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text)
  await git(dir, ['add', '--', ...Object.keys(files)])
  await git(dir, ['commit', '-q', '-m', `files at ${date}`], {
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
  })
  return git(dir, ['rev-parse', 'HEAD'])
}

/** A tiny benchmark whose result depends on `n`, so that two commits differ. */
export function benchSource(n: number): string {
  return `def work(n):\n    return sum(i * i for i in range(n))\n\n\nprint(work(${n}))\n`
}
