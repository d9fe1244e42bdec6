import type { Page, TestInfo } from '@playwright/test'
import { expect, test, uploadFixture } from '../fixtures.ts'

// The page's background in each theme (global.css --bg) and the chart's "All functions" cell
// (chart-colors.ts CHART_PALETTES[theme].top).
const LIGHT_BG = 'rgb(255, 255, 255)'
const DARK_BG = 'rgb(15, 20, 26)'
const TOP_CELL = { light: [0xe4, 0xe8, 0xee], dark: [0x2b, 0x32, 0x3c] }

const background = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)
const theme = (page: Page) => page.evaluate(() => document.documentElement.dataset.theme)

async function chartPainted(page: Page, name: string) {
  const chart = page.getByRole('application', { name })
  await expect(chart).toBeVisible()
  await page.waitForFunction(
    (chart) =>
      performance
        .getEntriesByName('profhub:chart-painted')
        .some((mark) => (mark as PerformanceMark).detail?.chart === chart),
    name,
  )
  return chart
}

/** The colour of the icicle's top row (the whole profile) at its right end, as drawn. */
async function topCellColor(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('canvas[aria-label="Icicle chart"]')!
    const ctx = canvas.getContext('2d')!
    const data = ctx.getImageData(canvas.width - 12, 6, 1, 1).data
    return [data[0]!, data[1]!, data[2]!]
  })
}

async function attachScreenshot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`)
  await page.screenshot({ path })
  await testInfo.attach(name, { path, contentType: 'image/png' })
}

test.describe('with the system in dark mode', () => {
  test.use({ colorScheme: 'dark', viewport: { width: 1280, height: 800 } })

  test('the page is dark before the app runs, and stays dark', async ({ page }) => {
    // Hold the app's script back: what shows meanwhile is index.html, global.css and
    // theme-init.js alone. A page that flashed white would be light here.
    let release = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    await page.route(/\/assets\/index-[^/]*\.js$/, async (route) => {
      await held
      await route.continue()
    })
    await page.goto('/', { waitUntil: 'commit' })
    await expect.poll(() => theme(page)).toBe('dark')
    await expect.poll(() => background(page)).toBe(DARK_BG)
    expect(await page.evaluate(() => document.getElementById('root')!.childElementCount)).toBe(0)
    release()

    await expect(page.getByRole('combobox', { name: 'Theme' })).toHaveValue('system')
    expect(await theme(page)).toBe('dark')
    expect(await background(page)).toBe(DARK_BG)
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe(
      'dark',
    )
  })

  test('choosing Light is remembered across a reload; System follows the system again', async ({
    page,
  }) => {
    await page.goto('/')
    const select = page.getByRole('combobox', { name: 'Theme' })
    await select.selectOption('light')
    await expect.poll(() => background(page)).toBe(LIGHT_BG)

    await page.reload()
    await expect(select).toHaveValue('light')
    expect(await theme(page)).toBe('light')
    expect(await background(page)).toBe(LIGHT_BG)

    await select.selectOption('system')
    await expect.poll(() => background(page)).toBe(DARK_BG)
    await page.reload()
    await expect(select).toHaveValue('system')
    expect(await background(page)).toBe(DARK_BG)
  })

  test('a run page and a compare page in the dark theme (screenshots)', async ({
    page,
    request,
  }, testInfo) => {
    const before = await uploadFixture(request, 'rules_cache1000.prof')
    const after = await uploadFixture(request, 'rules_cache5000.prof')

    await page.goto(before.url)
    await chartPainted(page, 'Sunburst chart')
    expect(await background(page)).toBe(DARK_BG)
    await attachScreenshot(page, testInfo, 'run-sunburst-dark')

    await page.goto(`/compare/${before.id}/${after.id}`)
    await expect(page.getByRole('table', { name: 'Changes by function' })).toBeVisible()
    await attachScreenshot(page, testInfo, 'compare-table-dark')
    await page.getByRole('tab', { name: 'Sunburst' }).click()
    await chartPainted(page, 'Sunburst chart')
    await attachScreenshot(page, testInfo, 'compare-sunburst-dark')
  })
})

test('the charts redraw in the new colours when the theme changes', async ({ page, request }) => {
  const run = await uploadFixture(request, 'rules_cache1000.prof')
  await page.goto(run.url)
  await page.getByRole('tab', { name: 'Icicle' }).click()
  await chartPainted(page, 'Icicle chart')
  await expect.poll(() => topCellColor(page)).toEqual(TOP_CELL.light)

  await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark')
  await expect.poll(() => topCellColor(page)).toEqual(TOP_CELL.dark)
  expect(await background(page)).toBe(DARK_BG)
})

test('? opens the keyboard shortcuts, Escape closes them and focus goes back', async ({
  page,
  request,
}) => {
  const run = await uploadFixture(request, 'rules_cache1000.prof')
  await page.goto(run.url)
  const chart = await chartPainted(page, 'Sunburst chart')
  await chart.focus()

  await page.keyboard.press('Shift+Slash')
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(dialog).toBeVisible()
  // Modal: the page behind is inert, focus is inside.
  expect(await dialog.evaluate((d) => d.matches(':modal'))).toBe(true)
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused()
  await expect(dialog).toContainText('Cursor to the heaviest callee')
  await expect(dialog).toContainText('Select the previous or next function')
  await expect(dialog).toContainText('Previous or next view')
  await page.keyboard.press('Tab')
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true)

  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(chart).toBeFocused()
  // Escape went to the dialog, not to the chart (which would go up a level: it is at the top).
  await expect(page).toHaveURL(run.url)

  // In a text field, ? is a character.
  const search = page.getByRole('searchbox', { name: 'Search' })
  await search.fill('')
  await search.press('Shift+Slash')
  await expect(search).toHaveValue('?')
  await expect(dialog).toBeHidden()

  // The header's button opens it too.
  const button = page.getByRole('button', { name: 'Keyboard shortcuts' })
  await button.click()
  await expect(dialog).toBeVisible()
  await dialog.getByRole('button', { name: 'Close' }).click()
  await expect(dialog).toBeHidden()
  await expect(button).toBeFocused()
})
