import { beforeAll, describe, expect, test } from 'vitest'
import { cliEnv, fixturePath, prepareCli, runCli, runIdOf, startServer } from './helper.ts'

beforeAll(prepareCli)

const TOKEN = 'cli-team-token-2718'

describe('a server with AUTH_TOKEN', () => {
  test('list without a token exits 4; with --token or PROFHUB_TOKEN it lists', async () => {
    const server = await startServer({ AUTH_TOKEN: TOKEN })
    const { env } = await cliEnv()

    const upload = await runCli(
      ['upload', fixturePath('rules-py3.11.prof'), '--name', 'guarded', '--server', server.url],
      { ...env, PROFHUB_TOKEN: TOKEN },
    )
    expect(upload.code, upload.stderr).toBe(0)
    const id = runIdOf(upload.stdout.trim())

    const refused = await runCli(['list', '--server', server.url], env)
    expect(refused.code).toBe(4)
    expect(refused.stdout).toBe('')
    expect(refused.stderr).toBe(
      `profhub: ${server.url} answered 401: This server needs an access token. Pass it with --token or PROFHUB_TOKEN (profhub, profhub.py), or enter it when the web app asks for the access token.\n`,
    )

    const wrong = await runCli(['list', '--server', server.url, '--token', 'wrong'], env)
    expect(wrong.code).toBe(4)
    expect(wrong.stderr).toMatch(/^profhub: \S+ answered 401: The access token was not accepted/)

    for (const run of [
      runCli(['list', '--server', server.url, '--token', TOKEN], env),
      runCli(['list', '--server', server.url], { ...env, PROFHUB_TOKEN: TOKEN }),
    ]) {
      const result = await run
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toContain(id)
      expect(result.stdout).toContain('guarded')
    }

    // A run's own link needs no token.
    const open = await runCli(['open', id, '--server', server.url, '--no-open'], env)
    expect(open.code, open.stderr).toBe(0)
  })
})
