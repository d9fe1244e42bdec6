import { fixturePath } from '@profhub/fixtures'
import { describe, expect, it } from 'vitest'
import { findPython, getJson, lastLine, runClient, runIdOf, startServer } from './client-helper.ts'

// The oldest Python the client promises to run on.
const PYTHON_VERSION = '3.8'
const TOKEN = 'py-team-token-1618'

describe('profhub.py against a server with AUTH_TOKEN', () => {
  it('exits 4 with a message without the token, and uploads with --token', async () => {
    const python = findPython(PYTHON_VERSION)
    const server = await startServer({ AUTH_TOKEN: TOKEN })
    const file = fixturePath('recursion-py3.11.prof')

    const refused = await runClient(python, ['upload', '--server', server, file])
    expect(refused.code).toBe(4)
    expect(refused.stdout).toBe('')
    expect(refused.stderr).toBe(
      `profhub: ${file}: the server refused the upload (401 Unauthorized). Pass --token or set PROFHUB_TOKEN.\n`,
    )

    const wrong = await runClient(python, ['upload', '--server', server, '--token', 'x', file])
    expect(wrong.code).toBe(4)
    expect(wrong.stderr).toContain('The token was not accepted')

    const accepted = await runClient(python, ['upload', '--server', server, '--token', TOKEN, file])
    expect(accepted.code, accepted.stderr).toBe(0)
    const id = runIdOf(server, lastLine(accepted.stdout))
    // The link opens without the token.
    expect(await getJson(`${server}/api/runs/${id}`)).toMatchObject({ id })
  })
})
