/**
 * What a person waits for on a compare page, in a fresh headless Chromium context: navigation →
 * the first row of the "Changes by function" table; the longest main-thread task (PerformanceObserver
 * `longtask`) from the page's first paint until the page is quiet again (both call trees built,
 * the chart colouring ready: nothing left that could freeze it); and Swap → the swapped table's
 * first row, with the longest task in that time.
 */
import type { Browser, Page } from '@playwright/test'

export interface CompareMetrics {
  /** Navigation start → the table's first row on screen. */
  tableShown: number
  /** The longest task after the first contentful paint (the page's frame and "Loading…"). */
  longestTaskAfterPaint: number
  /** The longest task after the table showed. */
  longestTaskAfterTable: number
  /** Click on Swap → the swapped table's first row. */
  swap: number
  longestTaskInSwap: number
}

interface Task {
  start: number
  duration: number
}

function record() {
  const tasks: Task[] = []
  Object.assign(window, { profhubCompareBench: tasks })
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration })
  }).observe({ type: 'longtask', buffered: true })
}

const tasksOf = (page: Page) =>
  page.evaluate(() => (window as unknown as { profhubCompareBench: Task[] }).profhubCompareBench)

const longest = (tasks: Task[], from: number, to = Infinity) =>
  Math.max(0, ...tasks.filter((t) => t.start >= from && t.start < to).map((t) => t.duration))

/** Resolves with performance.now() at the first frame that shows a table row whose text has `text`. */
async function rowShown(page: Page, text: string): Promise<number> {
  const handle = await page.waitForFunction(
    (text) => {
      const row = document.querySelector('[role="table"] [role="row"][aria-rowindex="2"]')
      const h1 = document.querySelector('h1')?.textContent ?? ''
      return row && h1.startsWith(text) ? performance.now() : 0
    },
    text,
    { polling: 'raf', timeout: 300_000 },
  )
  return (await handle.jsonValue()) as number
}

/** Waits until no long task has started for `quietMs` (the page finished its work). */
async function quiet(page: Page, quietMs = 3000): Promise<void> {
  await page.waitForFunction(
    (quietMs) => {
      const tasks = (window as unknown as { profhubCompareBench: Task[] }).profhubCompareBench
      const last = tasks.length === 0 ? 0 : tasks.at(-1)!.start + tasks.at(-1)!.duration
      return performance.now() - last > quietMs
    },
    quietMs,
    { polling: 250, timeout: 300_000 },
  )
}

export async function measureComparePage(
  browser: Browser,
  origin: string,
  before: { id: string; name: string },
  after: { id: string; name: string },
): Promise<CompareMetrics> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
  // tsx (esbuild) names functions with a `__name` helper that the page does not have.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f' })
  await context.addInitScript(record)
  const page = await context.newPage()
  await page.goto(`${origin}/compare/${before.id}/${after.id}`)
  const tableShown = await rowShown(page, before.name)
  await quiet(page)
  const paint = await page.evaluate(
    () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0,
  )
  let tasks = await tasksOf(page)
  const longestTaskAfterPaint = longest(tasks, paint)
  const longestTaskAfterTable = longest(tasks, tableShown)

  const clicked = await page.evaluate(() => performance.now())
  await page.getByRole('button', { name: 'Swap' }).click()
  const swapped = await rowShown(page, after.name)
  await quiet(page)
  tasks = await tasksOf(page)
  await context.close()
  return {
    tableShown,
    longestTaskAfterPaint,
    longestTaskAfterTable,
    swap: swapped - clicked,
    longestTaskInSwap: longest(tasks, clicked),
  }
}
