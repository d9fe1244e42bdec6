import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '../fixtures.ts'
import { readFileSync } from 'node:fs'
import { fixturePath } from '@profhub/fixtures'

// Stops and restarts a real server on the same data directory: runs must survive.
const port = Number(process.env.E2E_RESTART_PORT ?? 43118)
const origin = `http://127.0.0.1:${port}`
const dataDir = mkdtempSync(join(tmpdir(), 'profhub-restart-'))

function startServer(): ChildProcess {
  return spawn('pnpm', ['--filter', '@profhub/server', 'start'], {
    cwd: join(import.meta.dirname, '..'),
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
    detached: true,
  })
}

async function waitForHealth(): Promise<void> {
  await expect
    .poll(async () => (await fetch(`${origin}/api/health`).catch(() => null))?.status, {
      timeout: 30_000,
    })
    .toBe(200)
}

async function stopServer(server: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => server.once('exit', resolve))
  process.kill(-server.pid!, 'SIGTERM')
  await exited
}

test('runs survive a server restart', async ({ page }) => {
  let server = startServer()
  try {
    await waitForHealth()
    const form = new FormData()
    form.append(
      'file',
      new Blob([readFileSync(fixturePath('shapes-py3.12.prof'))]),
      'shapes-py3.12.prof',
    )
    form.append('name', 'before the restart')
    const created = (await (
      await fetch(`${origin}/api/runs`, { method: 'POST', body: form })
    ).json()) as {
      url: string
    }

    await stopServer(server)
    server = startServer()
    await waitForHealth()

    await page.goto(`${origin}/`)
    await page.getByRole('link', { name: 'before the restart' }).click()
    await expect(page).toHaveURL(`${origin}${created.url}`)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('before the restart')
    await page.getByRole('tab', { name: 'Table' }).click()
    await expect(page.getByRole('table').getByRole('row').nth(1)).toBeVisible()
  } finally {
    await stopServer(server)
  }
})
