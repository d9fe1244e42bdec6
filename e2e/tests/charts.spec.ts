import { listProfiles, readSummary } from '@profhub/fixtures'
import type { Page } from '@playwright/test'
import { expect, test, uploadFixture } from '../fixtures.ts'

// rules_cache1000: exec → <module> → main → predict → find_matching_rules → _rule_key_to_state
// → loads → decode → raw_decode, with json taking 42 % of the time.
const profile = 'rules_cache1000.prof'

const caption = (page: Page) => page.locator('figure figcaption')
const breadcrumb = (page: Page) => page.getByRole('navigation', { name: 'Breadcrumb' })
const callsInView = async (page: Page) =>
  Number((await page.getByText(/\d[\d,]* calls? in view/).textContent())!.replace(/\D/g, ''))

async function openChart(page: Page, url: string, tab: 'Sunburst' | 'Icicle') {
  await page.goto(url)
  await page.getByRole('tab', { name: tab }).click()
  const chart = page.getByRole('application', { name: `${tab} chart` })
  await expect(chart).toBeVisible()
  // Drawn, not only mounted: a click before the first frame would find no node under it.
  await page.waitForFunction(
    (name) =>
      performance
        .getEntriesByName('profhub:chart-painted')
        .some((mark) => (mark as PerformanceMark).detail?.chart === name),
    `${tab} chart`,
  )
  return chart
}

test('hovering a chart shows the node as text, exact or estimated', async ({ page, request }) => {
  const run = await uploadFixture(request, profile)
  const sunburst = await openChart(page, run.url, 'Sunburst')
  const box = (await sunburst.boundingBox())!
  // The centre of the sunburst is the whole profile.
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  const tooltip = page.getByRole('tooltip')
  await expect(tooltip).toContainText('All functions')
  await expect(tooltip).toContainText('100.0 %')

  const icicle = await openChart(page, run.url, 'Icicle')
  const top = (await icicle.boundingBox())!
  // Second row, left: the program's entry, exec, with all of the time.
  await page.mouse.move(top.x + 20, top.y + 35)
  await expect(tooltip).toContainText('{built-in method builtins.exec}')
  await expect(tooltip).toContainText(/cumtime\s*4\.05 s/)
  await expect(tooltip).toContainText(/exact/)
})

test('click and keys zoom; the breadcrumb follows and jumps back', async ({ page, request }) => {
  const run = await uploadFixture(request, profile)
  const icicle = await openChart(page, run.url, 'Icicle')
  await expect(breadcrumb(page)).toHaveText('All functions')

  // A click on the entry's row focuses it.
  const box = (await icicle.boundingBox())!
  await page.mouse.click(box.x + 20, box.y + 35)
  await expect(breadcrumb(page)).toContainText('builtins.exec')
  await expect(caption(page)).toContainText('Focused: {built-in method builtins.exec}')
  await expect(page).toHaveURL(/focus=/)

  // Keys: down to the first callee twice, Enter focuses it.
  await icicle.focus()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  await expect(caption(page)).toContainText('Focused: main')
  await expect(breadcrumb(page).getByRole('link')).toHaveText([
    'All functions',
    '{built-in method builtins.exec}',
    '<module>',
  ])

  await page.keyboard.press('Escape')
  await expect(caption(page)).toContainText('Focused: <module>')
  await breadcrumb(page).getByRole('link', { name: 'All functions' }).click()
  await expect(breadcrumb(page)).toHaveText('All functions')

  // Back returns to the zoomed view.
  await page.goBack()
  await expect(caption(page)).toContainText('Focused: <module>')
})

test('depth and cutoff change what is drawn', async ({ page, request }) => {
  const run = await uploadFixture(request, profile)
  await openChart(page, run.url, 'Sunburst')
  const all = await callsInView(page)
  expect(all).toBeGreaterThan(10)

  const setDepth = async (depth: number) => {
    await page.getByLabel('Depth').fill(String(depth))
    await page.getByLabel('Depth').press('Enter')
    await expect(page).toHaveURL(new RegExp(`depth=${depth}`))
  }
  await setDepth(3)
  await expect.poll(() => callsInView(page)).toBeLessThan(all)
  const threeLevels = await callsInView(page)
  await setDepth(2)
  await expect.poll(() => callsInView(page)).toBeLessThan(threeLevels)

  await page.getByLabel('Depth').fill('10')
  await page.getByLabel('Depth').press('Enter')
  await expect.poll(() => callsInView(page)).toBe(all)
  await page.getByLabel('Cutoff').fill('20')
  await page.getByLabel('Cutoff').press('Enter')
  await expect.poll(() => callsInView(page)).toBeLessThan(all)
  await expect(page).toHaveURL(/cutoff=/)
})

test('Search highlights matching calls in the charts', async ({ page, request }) => {
  const run = await uploadFixture(request, profile)
  await openChart(page, run.url, 'Icicle')
  await page.getByRole('searchbox', { name: 'Search' }).fill('decode')
  await expect(caption(page)).toContainText(/[1-9]\d* drawn calls match the search/)
  await expect(page.getByText(/^ · [1-9][\d,]* match(es)? the search$/)).toBeVisible()
  await page.getByRole('searchbox', { name: 'Search' }).fill('no such function anywhere')
  await expect(caption(page)).toContainText('0 drawn calls match the search')
  await expect(page.getByText(' · none matches the search')).toBeVisible()
})

test('one selection in every view: chart to table and table to chart', async ({
  page,
  request,
}) => {
  const run = await uploadFixture(request, profile)
  const icicle = await openChart(page, run.url, 'Icicle')
  const box = (await icicle.boundingBox())!
  // Clicked once the chart shows it (its tooltip names it), as a person would.
  await page.mouse.move(box.x + 20, box.y + 35)
  await expect(page.getByRole('tooltip')).toContainText('{built-in method builtins.exec}')
  await page.mouse.click(box.x + 20, box.y + 35)

  await page.getByRole('tab', { name: 'Table' }).click()
  const selected = page.getByRole('table').getByRole('row', { selected: true })
  await expect(selected).toContainText('{built-in method builtins.exec}')
  await expect(page.getByRole('region', { name: /callers/i })).toBeVisible()

  // Choosing a row focuses its heaviest occurrence in the charts.
  await page.getByRole('searchbox', { name: 'Search' }).fill('raw_decode')
  await page.getByRole('table').getByRole('row').nth(1).click()
  await page.getByRole('searchbox', { name: 'Search' }).fill('')
  await page.getByRole('tab', { name: 'Icicle' }).click()
  await expect(caption(page)).toContainText('Focused: raw_decode')
  await expect(breadcrumb(page)).toContainText('_rule_key_to_state')
})

// Every fixture profile draws in both charts without a console error (the empty one says so).
for (const name of listProfiles().filter((name) => readSummary(name).functionCount > 0)) {
  test(`${name} opens on both chart tabs`, async ({ page, request }) => {
    const run = await uploadFixture(request, name)
    await openChart(page, run.url, 'Sunburst')
    await expect(caption(page)).toContainText('Focused: All functions')
    await page.getByRole('tab', { name: 'Icicle' }).click()
    await expect(page.getByRole('application', { name: 'Icicle chart' })).toBeVisible()
    await expect(caption(page)).toContainText('Icicle of the call tree')
  })
}

test('an empty profile says so on the chart tabs', async ({ page, request }) => {
  const run = await uploadFixture(request, 'empty-py3.11.prof')
  await page.goto(run.url)
  const message = page.getByText('This profile is empty: the profiler recorded no function calls.')
  await expect(message).toBeVisible()
  await expect(page.getByRole('application', { name: 'Sunburst chart' })).toHaveCount(0)
  await page.getByRole('tab', { name: 'Icicle' }).click()
  await expect(message).toBeVisible()
})
