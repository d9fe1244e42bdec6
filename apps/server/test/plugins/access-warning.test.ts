import { expect, it } from 'vitest'
import { useCompiledServers } from '../compiled-server.ts'

// The compiled server, as users start it: what it says when it starts.
const startServer = useCompiledServers()

/** Its whole output (stdout and stderr) up to its "running at" line. */
async function startupOutput(env: Record<string, string>) {
  const { url, output } = await startServer({ AUTH_TOKEN: '', ...env })
  return { url, output: output() }
}

it('warns loudly when it listens on the network without a token', async () => {
  const { url, output } = await startupOutput({ HOST: '0.0.0.0' })
  expect(output).toContain('NO ACCESS TOKEN')
  expect(output).toContain('anyone who can reach it can list, change and delete every run')
  expect(output).toContain('set ALLOWED_HOSTS')
  // It still answers on its loopback name.
  expect((await fetch(`${url}/api/health`)).status).toBe(200)
}, 120_000)

it('does not warn on loopback, nor with a token', async () => {
  const loopback = await startupOutput({ HOST: '127.0.0.1' })
  expect(loopback.output).not.toContain('NO ACCESS TOKEN')
  const guarded = await startupOutput({
    HOST: '0.0.0.0',
    AUTH_TOKEN: 'team-token',
    ALLOWED_HOSTS: 'profhub.example',
  })
  expect(guarded.output).not.toContain('NO ACCESS TOKEN')
  expect(guarded.output).not.toContain('ALLOWED_HOSTS')
}, 120_000)
