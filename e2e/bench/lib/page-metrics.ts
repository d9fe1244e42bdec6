/**
 * What a person waits for on a run page, measured in a fresh headless Chromium context:
 * first chart paint and first table rows after navigation, zoom, hover, tab switch, sorts, a
 * Search keystroke on the table and on the charts, the JS heap, the longest main-thread task after first paint, bytes on the wire.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test'
import { hoverTimes } from './chart-hover.ts'
import { zoom } from './chart-zoom.ts'
import { median } from './stats.ts'

export interface PageMetrics {
  chartPaint: number
  tableRows: number
  zoom: number
  tabSwitch: number
  /** Pointer onto another node → the frame after its tooltip shows (median of a few). */
  hover: number
  sorts: Record<string, number>
  searchKeystroke: number
  /** A keystroke in Search on the sunburst tab → the frame that dims what does not match. */
  chartSearchKeystroke: number
  heapBytes: number
  longestTaskAfterPaint: number
  wireBytes: number
}

interface Recorded {
  tasks: { start: number; duration: number }[]
  events: { name: string; start: number; duration: number }[]
}

/** Long tasks and slow events (Event Timing: input → next paint, ≥ 16 ms) as they happen. */
function record() {
  const recorded: Recorded = { tasks: [], events: [] }
  Object.assign(window, { profhubBench: recorded })
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      recorded.tasks.push({ start: e.startTime, duration: e.duration })
  }).observe({ type: 'longtask', buffered: true })
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      recorded.events.push({ name: e.name, start: e.startTime, duration: e.duration })
  }).observe({ type: 'event', durationThreshold: 16, buffered: true } as PerformanceObserverInit)
}

async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
  // tsx (esbuild) names functions with a `__name` helper that the page does not have.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f' })
  await context.addInitScript(record)
  return context
}

const recorded = (page: Page) =>
  page.evaluate(() => (window as unknown as { profhubBench: Recorded }).profhubBench)

/** Input → next paint of what `act` does; 16 ms when it took less (Event Timing's floor). */
async function timeInput(page: Page, act: () => Promise<void>, names = ['click']): Promise<number> {
  const since = await page.evaluate(() => performance.now())
  await act()
  await page.waitForTimeout(250) // entries arrive after the frame
  const { events } = await recorded(page)
  const durations = events.filter((e) => e.start >= since && names.includes(e.name))
  return Math.max(16, ...durations.map((e) => e.duration))
}

/**
 * Sets Search to `text` as one keystroke would, and times it to the frame that shows the result:
 * on the table, the frame after its "N of M functions" count changed; on a chart, the frame that
 * draws the new matches (`profhub:search-painted`).
 */
async function typeInSearch(page: Page, text: string, shownIn: 'table' | 'chart'): Promise<number> {
  await page.getByRole('searchbox', { name: 'Search' }).focus()
  return page.evaluate(
    async ({ text, shownIn }) => {
      const painted = () => performance.getEntriesByName('profhub:search-painted')
      const shown = () =>
        shownIn === 'chart'
          ? painted().length
          : document.body.innerText.match(/([\d,]+) of ([\d,]+) functions/)?.[0]
      const before = shown()
      const input = document.activeElement as HTMLInputElement
      const start = performance.now()
      // The prototype's setter: React watches the element's own one and would skip the event.
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, text)
      input.dispatchEvent(
        new InputEvent('input', { bubbles: true, data: text, inputType: 'insertText' }),
      )
      for (let i = 0; i < 600 && shown() === before; i++) {
        await new Promise((resolve) => requestAnimationFrame(resolve))
      }
      if (shownIn === 'chart') return painted().at(-1)!.startTime - start
      await new Promise((resolve) => requestAnimationFrame(resolve))
      return performance.now() - start
    },
    { text, shownIn },
  )
}

export async function measureRunPage(
  browser: Browser,
  origin: string,
  url: string,
): Promise<PageMetrics> {
  const context = await newContext(browser)
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable')

  await page.goto(`${origin}${url}`)
  await page.waitForFunction(
    () => performance.getEntriesByName('profhub:chart-painted').length > 0,
    undefined,
    {
      timeout: 180_000,
    },
  )
  const chartPaint = await page.evaluate(
    () => performance.getEntriesByName('profhub:chart-painted')[0]!.startTime,
  )
  const wireBytes = await page.evaluate(() =>
    [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
      .map((e) => (e as PerformanceResourceTiming).transferSize)
      .reduce((a, b) => a + b, 0),
  )

  const chart = page.getByRole('application', { name: 'Sunburst chart' })
  await chart.focus()
  const zooms: number[] = []
  for (let i = 0; i < 3; i++) {
    for (const direction of ['in', 'out'] as const) {
      const timing = await zoom(page, 'Sunburst chart', direction)
      if (timing) zooms.push(timing.frame)
    }
  }

  const hover = median(await hoverTimes(page, 'Sunburst chart'))
  await page.mouse.move(0, 0)
  const chartSearchKeystroke = await typeInSearch(page, 'f', 'chart')
  await typeInSearch(page, '', 'chart') // cleared again for the table's measurement below

  const tabSwitch = await timeInput(page, () => page.getByRole('tab', { name: 'Icicle' }).click())
  await timeInput(page, () => page.getByRole('tab', { name: 'Table' }).click())
  const headers = page.getByRole('columnheader')
  const sorts: Record<string, number> = {}
  for (let i = 0; i < (await headers.count()); i++) {
    const name = `${(await headers.nth(i).textContent())!.trim()}${i === 2 ? ' (tottime)' : i === 4 ? ' (cumtime)' : ''}`
    sorts[name] = await timeInput(page, () => headers.nth(i).click())
  }

  // A keystroke in Search, to the frame where the table shows the filtered count.
  const searchKeystroke = await typeInSearch(page, 'f', 'table')

  const { tasks } = await recorded(page)
  const longestTaskAfterPaint = Math.max(
    0,
    ...tasks.filter((t) => t.start > chartPaint).map((t) => t.duration),
  )
  const { metrics } = await cdp.send('Performance.getMetrics')
  const heapBytes = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN
  await context.close()

  // First table rows: a fresh context that opens the Table tab directly.
  const tableContext = await newContext(browser)
  const tablePage = await tableContext.newPage()
  await tablePage.goto(`${origin}${url}?v=2&tab=table`)
  const rowsHandle = await tablePage.waitForFunction(
    () => (document.querySelector('[role="row"][aria-rowindex="2"]') ? performance.now() : 0),
    undefined,
    { polling: 'raf', timeout: 180_000 },
  )
  const tableRows = (await rowsHandle.jsonValue()) as number
  await tableContext.close()

  return {
    chartPaint,
    tableRows,
    zoom: median(zooms),
    tabSwitch,
    sorts,
    searchKeystroke,
    chartSearchKeystroke,
    hover,
    heapBytes,
    longestTaskAfterPaint,
    wireBytes,
  }
}

/** A fixed CPU loop, to compare machines: numbers from two machines compare as ratios. */
export function calibrationLoop(): number {
  const start = performance.now()
  let x = 1
  for (let i = 0; i < 50_000_000; i++) x = (x * 1103515245 + 12345) % 2147483648
  if (x < 0) throw new Error('unreachable')
  return performance.now() - start
}

export async function calibrateBrowser(browser: Browser): Promise<number> {
  const page = await browser.newPage()
  const result = await page.evaluate(`(${calibrationLoop.toString()})()`)
  await page.close()
  return result as number
}
