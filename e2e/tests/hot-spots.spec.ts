import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import type { Page } from '@playwright/test'
import { expect, test, uploadFile, uploadFixture } from '../fixtures.ts'

const run = promisify(execFile)
const PROGRAM = path.resolve(import.meta.dirname, '../programs/deep_hot_spot.py')
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3'

// exec → <module> → main → step01 … step15 → busy: busy, with nearly all of the time, is 19
// levels below the top, past the default depth of 10.
let profilePath = ''
let workDir = ''

test.beforeAll(async () => {
  expect(existsSync(PYTHON), `${PYTHON} is missing: apt-get install python3`).toBe(true)
  workDir = await mkdtemp(path.join(tmpdir(), 'profhub-hot-spots-'))
  profilePath = path.join(workDir, 'deep.prof')
  await run(PYTHON, ['-m', 'cProfile', '-o', profilePath, PROGRAM], {
    cwd: workDir,
    timeout: 120_000,
  })
})

test.afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true })
})

const breadcrumb = (page: Page) => page.getByRole('navigation', { name: 'Breadcrumb' })
const depthNote = (page: Page) => page.getByText(/^Depth 10 hides \d+ % of the time/)

async function openChart(page: Page, url: string, tab: 'Sunburst' | 'Icicle') {
  await page.goto(url)
  await page.getByRole('tab', { name: tab }).click()
  await expect(page.getByRole('application', { name: `${tab} chart` })).toBeVisible()
}

test('the hot spot is listed and one click shows where it is called', async ({ page, request }) => {
  const uploaded = await uploadFile(request, profilePath, 'deep hot spot')
  await openChart(page, uploaded.url, 'Icicle')

  const list = page.getByRole('list', { name: 'Hot spots' })
  const busy = list.getByRole('button', { name: /deep_hot_spot\.py:\d+\(busy\)/ })
  // The heaviest function by own time comes first, with its time and share of the total.
  await expect(list.getByRole('listitem').first()).toContainText(/\(busy\).*\d.*%/)
  await expect(depthNote(page)).toBeVisible()

  await busy.click()
  // Selected (the URL, the callers panel) and in view: the focus is an ancestor close enough
  // for busy to be drawn within the depth, so nothing is hidden any more.
  await expect(page).toHaveURL(/fn=[^&]*busy/)
  await expect(page).toHaveURL(/focus=/)
  await expect(breadcrumb(page)).toContainText('(busy)')
  // Not busy alone in the middle: its callers down from nine levels up, busy on the ninth.
  await expect(page.locator('figure figcaption')).toContainText('Focused: step07')
  await expect(breadcrumb(page).getByRole('link')).toContainText(['All functions', /exec/])
  await expect(page.getByRole('complementary', { name: 'Callers and callees' })).toContainText(
    '(busy)',
  )
  await expect(page.getByText(/hides \d+ % of the time/)).toHaveCount(0)
  await expect(busy).toHaveAttribute('aria-current', 'true')

  // The chart draws it: the keyboard cursor walks down the heaviest callees to it.
  const chart = page.getByRole('application', { name: 'Icicle chart' })
  await chart.focus()
  for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowDown')
  await expect(page.getByRole('tooltip')).toContainText('(busy)')
})

test('the depth note says what the depth hides and its button draws it', async ({
  page,
  request,
}) => {
  const uploaded = await uploadFile(request, profilePath, 'deep hot spot')
  await openChart(page, uploaded.url, 'Sunburst')
  await expect(depthNote(page)).toBeVisible()
  const draw = page.getByRole('button', { name: /^Draw \d+ levels$/ })
  const levels = Number((await draw.textContent())!.replace(/\D/g, ''))
  expect(levels).toBeGreaterThan(10)
  await draw.click()
  await expect(page.getByLabel('Depth')).toHaveValue(String(levels))
  await expect(page).toHaveURL(new RegExp(`depth=${levels}`))
  await expect(page.getByText(/hides \d+ % of the time/)).toHaveCount(0)
})

test('a depth past the maximum is clamped and says so', async ({ page, request }) => {
  const uploaded = await uploadFile(request, profilePath, 'deep hot spot')
  await openChart(page, uploaded.url, 'Sunburst')
  const depth = page.getByLabel('Depth')
  await expect(depth).toHaveAttribute('max', '100')
  await depth.fill('500')
  await expect(depth).toHaveValue('100')
  await expect(
    page.getByRole('status').filter({ hasText: 'Depth 500 is out of range' }),
  ).toHaveText('Depth 500 is out of range: at most 100')
  await expect(page).toHaveURL(/depth=100/)
  // The chart uses it: nothing is hidden below 100 levels in this profile.
  await expect(page.getByText(/hides \d+ % of the time/)).toHaveCount(0)
})

// unittest runs suites inside suites: the tree stops where TestSuite.run calls itself again
// (pstats keeps no stacks), so the tests' own hot spots are not in it. Listed all the same,
// and a click says why the chart cannot show them and where their callers are.
test('a hot spot the call tree does not reach says so and shows its callers', async ({
  page,
  request,
}) => {
  const uploaded = await uploadFixture(request, 'realworld-unittest-py3.11.prof')
  await openChart(page, uploaded.url, 'Sunburst')
  const spots = page.getByRole('list', { name: 'Hot spots' })
  await spots.getByRole('button', { name: /^\{method 'poll' of 'select\.poll' objects\}:/ }).click()
  await expect(page.getByRole('status').filter({ hasText: 'not in the call tree' })).toBeVisible()
  const panel = page.getByRole('complementary', { name: 'Callers and callees' })
  await expect(panel.getByRole('heading', { level: 2 })).toHaveText(
    "{method 'poll' of 'select.poll' objects}",
  )
})
