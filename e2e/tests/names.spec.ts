import type { Locator, Page } from '@playwright/test'
import { expect, test, uploadFixture } from '../fixtures.ts'

// A fixture function whose label is wider than the chart tooltip (28rem at most): the path has to
// give way, the name and line must not.
const profile = 'recursion-py3.11.prof'
const label = '/usr/local/lib/python3.11/site-packages/_distutils_hack/__init__.py:89(find_spec)'

/** Whether the end of `name` (the `:line(function)` part) is drawn whole inside `clip` and the window. */
async function restIsVisible(name: Locator, clip: Locator): Promise<boolean> {
  const clipElement = await clip.elementHandle()
  return name.evaluate((el, clipElement) => {
    const rest = el.querySelector('bdi > span:last-child')!
    const r = rest.getBoundingClientRect()
    const inside = (box: DOMRect) => r.left >= box.left - 0.5 && r.right <= box.right + 0.5
    return (
      r.width > 0 &&
      inside(el.getBoundingClientRect()) &&
      inside((clipElement as Element).getBoundingClientRect()) &&
      r.right <= window.innerWidth
    )
  }, clipElement)
}

async function expectWholeName(name: Locator, clip: Locator) {
  await expect(name).toHaveText(label)
  await expect(name).toHaveAttribute('title', label)
  await expect.poll(() => restIsVisible(name, clip)).toBe(true)
}

async function openIcicle(page: Page) {
  await page.getByRole('tab', { name: 'Icicle' }).click()
  const chart = page.getByRole('application', { name: 'Icicle chart' })
  await page.waitForFunction(() =>
    performance
      .getEntriesByName('profhub:chart-painted')
      .some((mark) => (mark as PerformanceMark).detail?.chart === 'Icicle chart'),
  )
  return chart
}

for (const width of [800, 1280]) {
  test(`at ${width} px the breadcrumb and the tooltip keep a function's name and line`, async ({
    page,
    request,
  }) => {
    await page.setViewportSize({ width, height: 900 })
    const run = await uploadFixture(request, profile)
    // Every call drawn (cutoff 0): the function is small.
    await page.goto(`${run.url}?v=2&tab=table&cutoff=0`)
    await page.getByRole('searchbox', { name: 'Search' }).fill('find_spec')
    const table = page.getByRole('table')
    await table.getByRole('row').filter({ hasText: label }).first().click()

    // The breadcrumb ends with the selected function, focused.
    const nav = page.getByRole('navigation', { name: 'Breadcrumb' })
    const here = nav.locator('[aria-current="location"] > span[title]')
    await expectWholeName(here, nav)

    // The focused node is the icicle's top row: its tooltip names the function.
    const chart = await openIcicle(page)
    const box = (await chart.boundingBox())!
    await page.mouse.move(box.x + 30, box.y + 10)
    const tooltip = page.getByRole('tooltip')
    const name = tooltip.locator('span[title]').first()
    await expectWholeName(name, tooltip)
    // The label is wider than the tooltip, so this is the path giving way, not room to spare.
    expect(await name.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true)
    // The location line below holds the whole path, wrapped.
    await expect(tooltip).toContainText(
      '/usr/local/lib/python3.11/site-packages/_distutils_hack/__init__.py:89',
    )
    await page.screenshot({ path: test.info().outputPath(`names-${width}.png`) })
  })
}
