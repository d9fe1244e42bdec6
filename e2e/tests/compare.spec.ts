import { readSummary } from '@profhub/fixtures'
import { compareWith } from '../compare-with.ts'
import { expect, test, uploadFixture } from '../fixtures.ts'

// The same program with lru_cache(maxsize=1000) and then 5000: json.loads runs far less often.
const before = 'rules_cache1000.prof'
const after = 'rules_cache5000.prof'

function loads(name: string) {
  const summary = readSummary(name)
  return [...summary.topCumulative, ...summary.topTottime].find(
    (row) => row.name === 'loads' && row.file.endsWith('json/__init__.py'),
  )!
}

test('comparing two runs shows the change in json.loads, as pstats counts it', async ({
  page,
  request,
}) => {
  const a = await uploadFixture(request, before)
  const b = await uploadFixture(request, after)
  await page.goto(a.url)
  await compareWith(page, b, 'cache5000')
  await expect(page).toHaveURL(new RegExp(`/compare/${a.id}/${b.id}`))
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${before} → ${after}`)

  const table = page.getByRole('table', { name: 'Changes by function' })
  for (const header of ['ncalls', 'tottime', 'cumtime']) {
    for (const side of ['before', 'after', 'change', '% change']) {
      const name = `${header} ${side}`
      await expect(table.getByRole('columnheader', { name, exact: true })).toBeVisible()
    }
  }
  await page.getByRole('searchbox', { name: 'Search' }).fill('json/__init__')
  const row = table.getByRole('row').filter({ hasText: '(loads)' })
  const [was, now] = [loads(before), loads(after)]
  const delta = (x: number, y: number) => (y - x).toFixed(3).replace(/^-0\.000$/, '0.000')
  // `-50.0 %`: whole percents from 100 up, one decimal from 10, two significant digits below.
  const percent = (x: number, y: number) => {
    const p = (100 * (y - x)) / x
    const size = Math.abs(p)
    const text = size >= 100 ? size.toFixed(0) : size >= 10 ? size.toFixed(1) : size.toPrecision(2)
    return `${p > 0 ? '+' : p < 0 ? '-' : ''}${text} %`
  }
  await expect(row.getByRole('cell')).toHaveText([
    String(was.ncalls),
    String(now.ncalls),
    String(now.ncalls - was.ncalls),
    percent(was.ncalls, now.ncalls),
    was.tottime.toFixed(3),
    now.tottime.toFixed(3),
    delta(was.tottime, now.tottime),
    percent(was.tottime, now.tottime),
    was.cumtime.toFixed(3),
    now.cumtime.toFixed(3),
    delta(was.cumtime, now.cumtime),
    percent(was.cumtime, now.cumtime),
    /json\/__init__\.py:299\(loads\)/,
  ])

  // The charts of the newer run, coloured by change, with their legend.
  await page.getByRole('tab', { name: 'Sunburst' }).click()
  await expect(page.getByRole('application', { name: 'Sunburst chart' })).toBeVisible()
  await expect(page.getByRole('list', { name: 'Legend' })).toContainText(/slower|faster/i)

  // Swap turns it around.
  await page.getByRole('button', { name: 'Swap' }).click()
  await expect(page).toHaveURL(new RegExp(`/compare/${b.id}/${a.id}`))
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${after} → ${before}`)
})

test('a run page URL with compare= opens the comparison', async ({ page, request }) => {
  const a = await uploadFixture(request, before)
  const b = await uploadFixture(request, after)
  await page.goto(`${a.url}?v=2&compare=${b.id}`)
  await expect(page).toHaveURL(new RegExp(`/compare/${a.id}/${b.id}`))
  await expect(page.getByRole('table', { name: 'Changes by function' })).toBeVisible()
})

test.describe('a comparison with a missing run', () => {
  test.use({ allowedConsoleErrors: [/status of 404/] })

  test('says which run is missing', async ({ page, request }) => {
    const a = await uploadFixture(request, before)
    await page.goto(`/compare/${a.id}/AAAAAAAAAAAAAAAAAAAAAA`)
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Cannot compare')
    await expect(page.getByText(/AAAAAAAAAAAAAAAAAAAAAA/)).toBeVisible()
  })
})
