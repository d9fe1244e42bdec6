/**
 * How fast the charts are, in headless Chromium against a running profhub. Not a test: it
 * prints numbers. It starts nothing itself.
 *
 *   cd e2e && pnpm exec tsx bench/charts.bench.ts --url http://127.0.0.1:8090 \
 *     --run <runId> [--run <runId>…] [--file ../fixtures/profiles/large-20k.prof …]
 *
 * For each run (files are uploaded first), in a fresh browser context:
 *   - first paint: navigation start → the first chart frame (`profhub:chart-painted`, the
 *     sunburst, the default tab), with the profile download and the call-tree build inside it;
 *   - zooms, in the sunburst then the icicle: 5 zooms in (ArrowDown + Enter: focus the heaviest
 *     callee) and 5 out (a click on the focused node), each from the input event to the next
 *     painted frame (`profhub:zoom-frame`) and to the end of its 200 ms animation
 *     (`profhub:zoom-done`); medians;
 *   - the JS heap (CDP Performance.getMetrics), before and after a forced GC;
 *   - the longest main-thread task (PerformanceObserver `longtask`), while loading and while
 *     zooming.
 * Options: --chromium <path> (default /usr/bin/chromium), --width/--height of the viewport.
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium, type Page } from '@playwright/test'
import { zoom } from './lib/chart-zoom.ts'

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    run: { type: 'string', multiple: true, default: [] },
    file: { type: 'string', multiple: true, default: [] },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    width: { type: 'string', default: '1400' },
    height: { type: 'string', default: '900' },
  },
})
if (!values.url || (values.run.length === 0 && values.file.length === 0)) {
  console.error('usage: charts.bench.ts --url http://127.0.0.1:PORT (--run ID | --file X.prof)…')
  process.exit(2)
}
const base = values.url.replace(/\/$/, '')

async function upload(path: string): Promise<{ id: string; name: string }> {
  const form = new FormData()
  form.append('file', new Blob([readFileSync(path)]), basename(path))
  const response = await fetch(`${base}/api/runs`, { method: 'POST', body: form })
  if (response.status !== 201)
    throw new Error(`upload ${path}: ${response.status} ${await response.text()}`)
  return (await response.json()) as { id: string; name: string }
}

async function runName(id: string): Promise<string> {
  const response = await fetch(`${base}/api/runs/${encodeURIComponent(id)}`)
  return response.ok ? ((await response.json()) as { name: string }).name : id
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0
    ? NaN
    : s.length % 2
      ? s[s.length >> 1]!
      : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
const ms = (x: number) => `${x.toFixed(0)} ms`
const mb = (x: number) => `${(x / 2 ** 20).toFixed(0)} MB`

async function longestTask(page: Page, since = 0): Promise<number> {
  return page.evaluate(
    (since) =>
      Math.max(
        0,
        ...(window as unknown as { __longtasks: { start: number; duration: number }[] }).__longtasks
          .filter((t) => t.start >= since)
          .map((t) => t.duration),
      ),
    since,
  )
}

const browser = await chromium.launch({
  executablePath: values.chromium,
  args: ['--no-sandbox', '--disable-gpu', '--enable-precise-memory-info'],
})
try {
  const runs = [
    ...(await Promise.all(values.run.map(async (id) => ({ id, name: await runName(id) })))),
  ]
  for (const file of values.file) runs.push(await upload(file))

  for (const run of runs) {
    const context = await browser.newContext({
      viewport: { width: Number(values.width), height: Number(values.height) },
    })
    // tsx (esbuild) names functions with a `__name` helper that the page does not have.
    await context.addInitScript({ content: 'globalThis.__name = (f) => f' })
    await context.addInitScript(() => {
      const tasks: { start: number; duration: number }[] = []
      ;(window as unknown as { __longtasks: typeof tasks }).__longtasks = tasks
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration })
      }).observe({ type: 'longtask', buffered: true })
    })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    page.on('pageerror', (e) => errors.push(e.message))
    const cdp = await context.newCDPSession(page)
    await cdp.send('Performance.enable')

    await page.goto(`${base}/runs/${encodeURIComponent(run.id)}`)
    await page.waitForFunction(
      () => performance.getEntriesByName('profhub:chart-painted').length > 0,
      undefined,
      { timeout: 180_000 },
    )
    const load = await page.evaluate(() => {
      const at = (name: string) => performance.getEntriesByName(name)[0]?.startTime ?? NaN
      const profile = performance
        .getEntriesByType('resource')
        .find((e) => /\/api\/runs\/[^/]+\/profile$/.test(e.name)) as
        PerformanceResourceTiming | undefined
      return {
        painted: at('profhub:chart-painted'),
        profileLoaded: profile ? profile.responseEnd : NaN,
        treeBuild: at('profhub:tree-ready') - at('profhub:tree-start'),
      }
    })
    const loadTask = await longestTask(page)
    const zoomStart = await page.evaluate(() => performance.now())

    const zooms: Record<string, { frame: number[]; done: number[] }> = {}
    for (const [tab, chart] of [
      ['Sunburst', 'Sunburst chart'],
      ['Icicle', 'Icicle chart'],
    ] as const) {
      await page.getByRole('tab', { name: tab }).click()
      await page.getByRole('application', { name: chart }).focus()
      for (const direction of ['in', 'out'] as const) {
        const key = `${tab} zoom ${direction}`
        zooms[key] = { frame: [], done: [] }
        for (let i = 0; i < 5; i++) {
          const t = await zoom(page, chart, direction)
          if (t) {
            zooms[key].frame.push(t.frame)
            zooms[key].done.push(t.done)
          }
        }
      }
    }
    const zoomTask = await longestTask(page, zoomStart)

    const heapOf = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics')
      return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN
    }
    const heap = await heapOf()
    await cdp.send('HeapProfiler.collectGarbage')
    const heapAfterGc = await heapOf()

    console.log(`\n${run.name} (${run.id})`)
    console.log(`  first chart paint      ${ms(load.painted)} after navigation start`)
    console.log(`    profile JSON loaded  ${ms(load.profileLoaded)}`)
    console.log(`    call tree build      ${ms(load.treeBuild)} (worker for big profiles)`)
    for (const [key, t] of Object.entries(zooms)) {
      console.log(
        `  ${key.padEnd(22)} ${ms(median(t.frame))} to the next frame, ${ms(median(t.done))} to the end of the animation (median of ${t.frame.length})`,
      )
    }
    console.log(`  JS heap                ${mb(heap)} (${mb(heapAfterGc)} after GC)`)
    console.log(
      `  longest task           ${ms(loadTask)} while loading, ${ms(zoomTask)} while zooming`,
    )
    if (errors.length > 0) console.log(`  console errors: ${errors.join(' | ')}`)
    await context.close()
  }
} finally {
  await browser.close()
}
