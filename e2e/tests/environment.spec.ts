import { readdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { expect, test, uploadFixture } from '../fixtures.ts'
import { PYENV, pyenvPython, recordRun, uploadRecording } from '../run-parts.ts'

const PROGRAM = path.resolve(import.meta.dirname, '../programs/hold_memory.py')

test('comparing a Python 3.11 run with a 3.13 run warns above the numbers', async ({
  page,
  request,
}) => {
  const versions = await readdir(PYENV).catch(() => [] as string[])
  const [old, recent] = await Promise.all([
    recordRun(PROGRAM, ['3000'], pyenvPython('3.11', versions)),
    recordRun(PROGRAM, ['3000'], pyenvPython('3.13', versions)),
  ])
  try {
    const before = await uploadRecording(request, old, { name: 'on 3.11' })
    const after = await uploadRecording(request, recent, { name: 'on 3.13' })
    const a = old.environment.python.version
    const b = recent.environment.python.version
    expect(a).toMatch(/^3\.11\./)
    expect(b).toMatch(/^3\.13\./)

    await page.goto(`/compare/${before.id}/${after.id}`)
    const warning = page.getByRole('alert').filter({ hasText: 'different Pythons' })
    await expect(warning).toHaveText(
      `These runs ran on different Pythons (${a} vs ${b}): times may not be comparable.`,
    )
    // Above the numbers.
    const summary = page.getByRole('definition').first()
    await expect(summary).toBeVisible()
    const [w, s] = [await warning.boundingBox(), await summary.boundingBox()]
    expect(w!.y + w!.height).toBeLessThanOrEqual(s!.y)

    // Both traced memory: before → after and the change, beside the time.
    const peak = page.locator('dl[aria-label="Memory"] > div').filter({ hasText: 'Peak memory' })
    await expect(peak).toBeVisible()

    // The same Python on both sides: no warning.
    await page.goto(`/compare/${before.id}/${before.id}`)
    await expect(page.getByRole('table', { name: 'Changes by function' })).toBeVisible()
    await expect(page.getByText('times may not be comparable')).toHaveCount(0)
  } finally {
    await Promise.all([old, recent].map((r) => rm(r.dir, { recursive: true, force: true })))
  }
})

test('the run page says what the run ran on; a plain .prof’s is guessed', async ({
  page,
  request,
}) => {
  const recording = await recordRun(PROGRAM, ['3000', 'it’s an arg'])
  try {
    const run = await uploadRecording(request, recording, {
      name: 'with environment',
      labels: ['branch=main', 'cache=1000'],
    })
    await page.goto(run.url)
    const env = page.getByRole('region', { name: 'Environment' })
    await expect(env).toContainText(`Python${recording.environment.python.version} (CPython)`)
    await expect(env).toContainText('cProfile, perf_counter clock')
    await expect(env).not.toContainText('guessed from the file')
    await env.getByText('Command line and directory').click()
    await expect(env).toContainText(`${recording.script} 3000 'it’s an arg'`)
    await expect(page.getByRole('list', { name: 'Labels' })).toContainText('cache=1000')

    const plain = await uploadFixture(request, 'jsondoc-py3.12.prof', 'plain')
    await page.goto(plain.url)
    const guessed = page.getByRole('region', { name: 'Environment' })
    await expect(guessed).toContainText('Python3.12')
    await expect(guessed).toContainText('guessed from the file')
  } finally {
    await rm(recording.dir, { recursive: true, force: true })
  }
})

test('the run list filters by a label: a chip or the URL', async ({ page, request }) => {
  const recording = await recordRun(PROGRAM, ['1000'])
  try {
    const tag = `exp-${Date.now()}`
    const small = await uploadRecording(request, recording, {
      name: 'small cache',
      parts: [],
      labels: [`experiment=${tag}`, 'cache=1000'],
    })
    const big = await uploadRecording(request, recording, {
      name: 'big cache',
      parts: [],
      labels: [`experiment=${tag}`, 'cache=5000'],
    })
    await page.goto(`/?label=${encodeURIComponent(`experiment=${tag}`)}`)
    const rows = page.getByRole('row')
    await expect(rows.filter({ hasText: 'cache' })).toHaveCount(2)
    // Clicking a chip adds its label to the filters (and to the URL).
    await rows.filter({ hasText: 'big cache' }).getByRole('button', { name: 'cache=5000' }).click()
    await expect(page).toHaveURL(/label=cache%3D5000/)
    await expect(rows.filter({ hasText: 'cache' })).toHaveCount(1)
    await expect(page.getByRole('link', { name: 'big cache' })).toBeVisible()
    // Removing it lists both again.
    await page.getByRole('button', { name: 'Remove the label filter cache=5000' }).click()
    await expect(rows.filter({ hasText: 'cache' })).toHaveCount(2)
    expect([small.id, big.id]).toHaveLength(2)
  } finally {
    await rm(recording.dir, { recursive: true, force: true })
  }
})
