import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { expect, test } from '../fixtures.ts'

const run = promisify(execFile)
const REPO = path.resolve(import.meta.dirname, '../..')
const PROGRAM = path.join(REPO, 'e2e/programs/slow_json.py')
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3'

// What the run page's summary line says, from pstats itself (the web app's formatPstatsHeader).
const PSTATS_HEADER = `
import pstats, sys
s = pstats.Stats(sys.argv[1])
calls = "{:,} function calls".format(s.total_calls)
if s.prim_calls != s.total_calls:
    calls += " ({:,} primitive calls)".format(s.prim_calls)
print("%s in %.3f seconds" % (calls, s.total_tt))
`

test('profhub.py run prints a link that opens the run, with the totals pstats reports', async ({
  page,
  baseURL,
}) => {
  // The client as a user gets it: downloaded from the server.
  const dir = await mkdtemp(path.join(tmpdir(), 'profhub-py-'))
  try {
    const client = path.join(dir, 'profhub.py')
    const served = await page.request.get('/profhub.py')
    expect(served.status()).toBe(200)
    await writeFile(client, await served.body())

    const { stdout } = await run(
      PYTHON,
      [
        client,
        'run',
        '--server',
        baseURL!,
        '--no-open',
        '--name',
        'json round trips',
        '--label',
        'branch=main',
        PROGRAM,
        '500',
      ],
      { cwd: dir },
    )
    const lines = stdout.trim().split('\n')
    expect(lines[0]).toBe(String((499 * 500) / 2))
    const link = lines.at(-1)!
    expect(link).toMatch(new RegExp(`^${baseURL}/runs/[A-Za-z0-9_-]{22}$`))

    // The run's own pstats file, as the Download menu gives it, read by Python's pstats.
    const exported = await page.request.get(`${link.replace('/runs/', '/api/runs/')}/export/prof`)
    expect(exported.status()).toBe(200)
    const prof = path.join(dir, 'run.prof')
    await writeFile(prof, await exported.body())
    const header = (await run(PYTHON, ['-c', PSTATS_HEADER, prof])).stdout.trim()

    await page.goto(link)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('json round trips')
    await expect(page.getByText(header, { exact: true })).toBeVisible()
    await expect(page.getByRole('list', { name: 'Labels' })).toHaveText('branch=main')
    await page.getByRole('tab', { name: 'Table' }).click()
    await expect(page.getByRole('row', { name: /slow_json\.py:\d+\(decode\)/ })).toBeVisible()
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
