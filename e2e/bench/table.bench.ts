/**
 * How long a profile takes from upload to a usable table, measured against a running server:
 *
 *   pnpm --filter @profhub/e2e exec tsx bench/table.bench.ts --url http://127.0.0.1:8080 FILE.prof…
 *
 * For each file, medians of `--repeat` (default 3): upload → 201, then, in a fresh headless
 * Chromium context, navigation → first table rows painted, and a click on the tottime header →
 * rows re-sorted (Event Timing). A benchmark, not a test: it prints numbers and asserts nothing.
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium, type Page } from '@playwright/test'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8080' },
    repeat: { type: 'string', default: '3' },
  },
})
const origin = values.url
const repeat = Number(values.repeat)

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const ms = (x: number) => `${Math.round(x)} ms`

async function upload(file: string): Promise<{ url: string; seconds: number }> {
  const form = new FormData()
  form.append('file', new Blob([readFileSync(file)]), basename(file))
  const start = performance.now()
  const response = await fetch(`${origin}/api/runs`, { method: 'POST', body: form })
  const seconds = performance.now() - start
  if (response.status !== 201)
    throw new Error(`${file}: ${response.status} ${await response.text()}`)
  return { url: ((await response.json()) as { url: string }).url, seconds }
}

/** Milliseconds from navigation start to the first table row in the DOM, and for a sort. */
async function timeTable(page: Page, url: string): Promise<{ firstRows: number; sort: number }> {
  await page.goto(`${origin}${url}?v=2&tab=table`)
  await page.getByRole('table').getByRole('row').nth(1).waitFor()
  const firstRows = await page.evaluate(() => performance.now())
  // The Event Timing API measures from the click to the next frame painted after its handlers.
  // It reports events of 16 ms or more only: a faster sort counts as 16 ms.
  await page.evaluate(() => {
    const durations: number[] = []
    Object.assign(window, { clickDurations: durations })
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        if (entry.name === 'click') durations.push(entry.duration)
    }).observe({ type: 'event', durationThreshold: 16 } as PerformanceObserverInit)
  })
  const header = page.getByRole('columnheader', { name: 'tottime' })
  await header.click()
  await header.and(page.locator('[aria-sort="descending"]')).waitFor()
  await page.waitForTimeout(300) // entries are delivered after the frame
  const durations = await page.evaluate(
    () => (window as unknown as { clickDurations: number[] }).clickDurations,
  )
  const sort = Math.max(16, ...durations)
  return { firstRows, sort }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
  ],
})
console.log('file | upload → 201 | navigation → first rows | sort by tottime')
for (const file of positionals) {
  const uploads: number[] = []
  const firstRows: number[] = []
  const sorts: number[] = []
  for (let i = 0; i < repeat; i++) {
    const run = await upload(file)
    uploads.push(run.seconds)
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
    const timing = await timeTable(await context.newPage(), run.url)
    firstRows.push(timing.firstRows)
    sorts.push(timing.sort)
    await context.close()
  }
  console.log(
    `${basename(file)} | ${ms(median(uploads))} | ${ms(median(firstRows))} | ${ms(median(sorts))}`,
  )
}
await browser.close()
