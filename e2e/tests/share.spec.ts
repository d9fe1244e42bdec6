import type { Browser, Page } from '@playwright/test'
import { expect, openTable, test, uploadFixture } from '../fixtures.ts'

const profile = 'recursion-py3.11.prof'

/** Everything a person sees of the view state, read from the page. */
async function visibleView(page: Page) {
  const tab = await page.getByRole('tab', { selected: true }).textContent()
  const view = {
    tab,
    search: await page.getByRole('searchbox', { name: 'Search' }).inputValue(),
    breadcrumb: await page.getByRole('navigation', { name: 'Breadcrumb' }).innerText(),
    depth: await page.getByLabel('Depth').inputValue(),
    cutoff: await page.getByLabel('Cutoff').inputValue(),
  }
  await page.getByRole('tab', { name: 'Table' }).click()
  const table = page.getByRole('table')
  const result = {
    ...view,
    sorted: await table
      .locator('[aria-sort="ascending"], [aria-sort="descending"]')
      .allInnerTexts(),
    direction: await table
      .locator('[aria-sort="ascending"], [aria-sort="descending"]')
      .getAttribute('aria-sort'),
    selectedRow: await table.getByRole('row', { selected: true }).innerText(),
  }
  await page.getByRole('tab', { name: tab! }).click()
  return result
}

async function openInFreshBrowser(browser: Browser, url: string) {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(url)
  return { context, page }
}

test('a copied link opens exactly the same view in a fresh browser', async ({
  page,
  request,
  browser,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  const run = await uploadFixture(request, profile)
  await openTable(page, run.url)

  // Sort, search, select: the table's parameters.
  await page.getByRole('columnheader', { name: 'tottime' }).click()
  await page.getByRole('columnheader', { name: 'tottime' }).click() // ascending
  await page.getByRole('searchbox', { name: 'Search' }).fill('is_')
  await page.getByRole('table').getByRole('row').filter({ hasText: '(is_odd)' }).click()
  // The chart's: tab, depth, cutoff, and a focus one level below the selected function.
  await page.getByRole('tab', { name: 'Icicle' }).click()
  await page.getByLabel('Depth').fill('4')
  await page.getByLabel('Depth').press('Enter')
  await page.getByLabel('Cutoff').fill('2')
  await page.getByLabel('Cutoff').press('Enter')
  await expect(page).toHaveURL(/cutoff=/)
  const before = await visibleView(page)
  expect(before.tab).toBe('Icicle')
  expect(before.selectedRow).toContain('is_odd')

  await page.getByRole('button', { name: 'Copy link' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Link copied' })).toBeVisible()
  const link = await page.evaluate(() => navigator.clipboard.readText())
  expect(link).toBe(page.url())
  for (const parameter of [
    'v=',
    'tab=',
    'sort=',
    'dir=',
    'q=',
    'fn=',
    'focus=',
    'depth=',
    'cutoff=',
  ]) {
    expect(link).toContain(parameter)
  }

  const fresh = await openInFreshBrowser(browser, link)
  await expect(fresh.page.getByRole('tab', { name: 'Icicle' })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  expect(await visibleView(fresh.page)).toEqual(before)
  await fresh.context.close()
})

test('Back and Forward walk through view changes', async ({ page, request }) => {
  const run = await uploadFixture(request, profile)
  await page.goto(run.url)
  const selectedTab = page.getByRole('tab', { selected: true })
  await expect(selectedTab).toHaveText('Sunburst')

  await page.getByRole('tab', { name: 'Table' }).click()
  await page.getByRole('columnheader', { name: 'ncalls' }).click()
  await page.getByRole('tab', { name: 'Icicle' }).click()

  await page.goBack()
  await expect(selectedTab).toHaveText('Table')
  await expect(page.getByRole('columnheader', { name: 'ncalls' })).toHaveAttribute(
    'aria-sort',
    'descending',
  )
  await page.goBack()
  await expect(page.getByRole('columnheader', { name: 'cumtime' })).toHaveAttribute(
    'aria-sort',
    'descending',
  )
  await page.goBack()
  await expect(selectedTab).toHaveText('Sunburst')
  await page.goForward()
  await page.goForward()
  await expect(page.getByRole('columnheader', { name: 'ncalls' })).toHaveAttribute(
    'aria-sort',
    'descending',
  )
})

test('a link with nonsense parameters opens the run with defaults', async ({ page, request }) => {
  const run = await uploadFixture(request, profile)
  const nonsense =
    '?v=2&tab=flamegraph&sort=speed&dir=sideways&depth=-3&cutoff=lots&focus=%%zz&fn=%E0%A4%A&compare=../../etc/passwd&q=' +
    'x'.repeat(5000)
  await page.goto(run.url + nonsense)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(profile)
  await expect(page.getByRole('tab', { name: 'Sunburst' })).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByLabel('Depth')).toHaveValue('10')
  await expect(page.getByLabel('Cutoff')).toHaveValue('0.1')
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toHaveText('All functions')

  // A link from a newer profhub opens the default view rather than misreading it.
  await page.goto(run.url + '?v=99&tab=table')
  await expect(page.getByRole('tab', { name: 'Sunburst' })).toHaveAttribute('aria-selected', 'true')
})
