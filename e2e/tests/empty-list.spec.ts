import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { expect, test } from '../fixtures.ts'
import { startOwnServer, type OwnServer } from '../own-server.ts'

// The run list with no runs at all needs a store of its own: the suite's shared server has the
// other tests' runs.
const run = promisify(execFile)

test.describe.configure({ mode: 'serial' })

let own: OwnServer | undefined
let base = ''

test.beforeAll(async () => {
  own = await startOwnServer()
  base = own.base
})

test.afterAll(async () => {
  await own?.stop()
})

/** Runs a command as copied from the page, in a POSIX shell, as a person would paste it. */
async function paste(command: string, cwd: string, env: NodeJS.ProcessEnv = {}) {
  // No browser for profhub.py to open, whatever this machine has.
  const { DISPLAY: _d, BROWSER: _b, WAYLAND_DISPLAY: _w, ...rest } = process.env
  return run('sh', ['-c', command], { cwd, env: { ...rest, ...env }, timeout: 120_000 })
}

test('the empty run list shows commands that work, with this server in them', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base })
  await page.goto(`${base}/`)
  const empty = page.getByRole('region', { name: 'No runs yet' })
  await expect(empty).toBeVisible()
  const commands = empty.locator('pre')
  const profile = 'python -m cProfile -o out.prof your_script.py'
  const upload = `curl -F file=@out.prof ${base}/api/runs`
  const client = `curl -O ${base}/profhub.py\npython profhub.py run --server ${base} your_script.py`
  await expect(commands).toHaveText([
    profile,
    upload,
    `curl -F mode=merge -F file=@a.prof -F file=@b.prof ${base}/api/runs`,
    client,
  ])
  await expect(empty).toContainText('-H "Authorization: Bearer <token>"')

  await empty.getByRole('button', { name: 'Copy the upload command' }).click()
  await expect(empty.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(upload)

  // A page that holds an access token (the server asked for one) sends it from $PROFHUB_TOKEN.
  await page.evaluate(() => localStorage.setItem('profhub.accessToken', 'team-token'))
  await page.reload()
  const auth = '-H "Authorization: Bearer $PROFHUB_TOKEN"'
  await expect(commands.nth(1)).toHaveText(`curl ${auth} -F file=@out.prof ${base}/api/runs`)
  await expect(empty).toContainText('set PROFHUB_TOKEN to yours')
  await expect(empty).not.toContainText('team-token')
  await page.evaluate(() => localStorage.removeItem('profhub.accessToken'))

  // The commands as shown, run as they are: a profile, its upload, and profhub.py.
  const work = await mkdtemp(path.join(tmpdir(), 'profhub-e2e-commands-'))
  try {
    await writeFile(
      path.join(work, 'your_script.py'),
      'def square(n):\n    return n * n\n\nprint(sum(square(i) for i in range(1000)))\n',
    )
    await paste(profile, work)
    const uploaded = JSON.parse((await paste(upload, work)).stdout) as { name: string }
    expect(uploaded.name).toBe('out.prof')
    const { stdout } = await paste(client, work)
    expect(stdout.trim().split('\n').at(-1)).toMatch(new RegExp(`^${base}/runs/`))
  } finally {
    await rm(work, { recursive: true, force: true })
  }
  await page.reload()
  await expect(page.getByRole('link', { name: 'out.prof' })).toBeVisible()
  await expect(page.getByRole('link', { name: 'your_script.py' })).toBeVisible()
  await expect(empty).toHaveCount(0)
})
