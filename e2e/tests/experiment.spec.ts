import { execFile } from 'node:child_process'
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { expect, test } from '../fixtures.ts'
import { exactBytes, PYTHON } from '../run-parts.ts'

const run = promisify(execFile)
const PROGRAMS = path.resolve(import.meta.dirname, '../../fixtures/programs')

// pstats' total time of a .prof, as the compare summary writes it (3 decimals).
const TOTAL_TIME = 'import pstats, sys; print("%.3f" % pstats.Stats(sys.argv[1]).total_tt)'

/**
 * The experiment profhub was made for: the same program with a 1,000- and a 5,000-entry
 * lru_cache, each run with `profhub.py run --memory`; the compare page shows the time change
 * and the memory change side by side, as pstats and tracemalloc reported them.
 */
test('profhub.py run --memory twice, then compare: time and peak memory change', async ({
  page,
  baseURL,
}) => {
  test.slow()
  const dir = await mkdtemp(path.join(tmpdir(), 'profhub-experiment-'))
  try {
    const client = path.join(dir, 'profhub.py')
    const served = await page.request.get('/profhub.py')
    expect(served.status()).toBe(200)
    await writeFile(client, await served.body())
    for (const name of ['rules.py', 'rules_memory.py']) {
      await copyFile(path.join(PROGRAMS, name), path.join(dir, name))
    }

    const runs: { id: string; peak: number; final: number; time: string }[] = []
    for (const size of ['1000', '5000']) {
      const { stdout } = await run(
        PYTHON,
        [client, 'run', '--server', baseURL!, '--no-open', '--memory']
          .concat(['--name', `cache ${size}`, '--label', `cache=${size}`])
          .concat(['rules_memory.py', size]),
        { cwd: dir, timeout: 120_000 },
      )
      const link = stdout.trim().split('\n').at(-1)!
      expect(link).toMatch(new RegExp(`^${baseURL}/runs/[A-Za-z0-9_-]{22}$`))
      const id = link.split('/').at(-1)!
      // What tracemalloc reported (the uploaded document) and what pstats reads in the run.
      const memory = await page.request.get(`/api/runs/${id}/memory`)
      expect(memory.status()).toBe(200)
      const doc = (await memory.json()) as { peakBytes: number; finalBytes: number }
      const prof = path.join(dir, `${size}.prof`)
      await writeFile(prof, await (await page.request.get(`/api/runs/${id}/export/prof`)).body())
      const time = (await run(PYTHON, ['-c', TOTAL_TIME, prof])).stdout.trim()
      runs.push({ id, peak: doc.peakBytes, final: doc.finalBytes, time })
    }
    const [small, big] = runs as [(typeof runs)[0], (typeof runs)[0]]
    // The bigger cache holds more at the end.
    expect(big.final).toBeGreaterThan(small.final)

    await page.goto(`/compare/${small.id}/${big.id}`)
    const time = page.locator('dl[aria-label="Summary"] > div').filter({ hasText: 'Total time' })
    await expect(time.getByRole('definition').first()).toHaveText(`${small.time} s → ${big.time} s`)
    const peak = page.locator('dl[aria-label="Memory"] > div').filter({ hasText: 'Peak memory' })
    await expect(peak.getByRole('definition').first()).toHaveAttribute(
      'title',
      `${exactBytes(small.peak)} → ${exactBytes(big.peak)}`,
    )
    await expect(peak.getByRole('definition').nth(1)).toContainText(
      big.peak >= small.peak ? '+' : '-',
    )
    const final = page.locator('dl[aria-label="Memory"] > div').filter({ hasText: 'Final memory' })
    await expect(final.getByRole('definition').first()).toHaveAttribute(
      'title',
      `${exactBytes(small.final)} → ${exactBytes(big.final)}`,
    )
    await expect(page.getByRole('table', { name: 'Memory change by line' })).toBeVisible()
    // Same machine, same Python: no warning.
    await expect(page.getByText('times may not be comparable')).toHaveCount(0)

    // The hot function's source, in the run with the source profhub.py sent.
    await page.goto(`/runs/${big.id}?v=2&tab=table`)
    await page.getByRole('row', { name: /rules\.py:\d+\(_does_rule_match_state\)/ }).click()
    const source = page.getByRole('region', { name: /^Source/ })
    await expect(source.locator('[data-def="true"]')).toContainText(
      'def _does_rule_match_state(rule_state, conversation_state):',
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
