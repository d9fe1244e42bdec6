/**
 * `pnpm bench`: how fast profhub is, end to end, on generated profiles of 1k, 20k and 100k
 * functions. Starts the real server on a temp DATA_DIR, uploads each profile, drives headless
 * Chromium (run pages, and the largest run compared with the smallest), and prints Markdown
 * tables of medians, with min–max for the waits a person sees (`--repeat`, default 5). A
 * benchmark, not a test: it asserts nothing. The tables are withheld (exit 3) when the machine
 * was busy with other work (lib/machine.ts): its timings would measure that work; `--force`
 * prints them anyway, marked.
 * Then a series of `--series-runs` runs of 20k functions each (lib/series.ts) and its queries.
 * Options: --sizes 1000,20000,100000  --repeat 5  --port 43190  --series-runs 500  --force.
 * `--anchors [--snakeviz DIR]` measures instead profhub's first view beside snakeviz and
 * speedscope on the same profiles, in one browser (lib/anchors.ts; sizes 1000,5000,20000,50000).
 */
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.ts'
import { runAnchors } from './lib/anchors.ts'
import { measureComparePage } from './lib/compare-page.ts'
import { measureFirstView, measureUploadToChart } from './lib/first-view.ts'
import { formatQuietness, MachineWatch, tooBusy } from './lib/machine.ts'
import { EXPORT_FORMATS, timeExports } from './lib/exports.ts'
import { timeBarePstats, timedUpload, timeShim } from './lib/ingest.ts'
import {
  calibrateBrowser,
  calibrationLoop,
  measureRunPage,
  type PageMetrics,
} from './lib/page-metrics.ts'
import { generatedProfile } from './lib/profiles.ts'
import { measureSeries } from './lib/series.ts'
import { startServer } from './lib/server.ts'
import { statsLatency, uploadMemory } from './lib/server-load.ts'
import { kb, mb, median, ms, printTable, repeat, spread } from './lib/stats.ts'

const { values } = parseArgs({
  options: {
    sizes: { type: 'string' },
    repeat: { type: 'string', default: '5' },
    port: { type: 'string', default: '43190' },
    'series-runs': { type: 'string', default: '500' },
    force: { type: 'boolean', default: false },
    anchors: { type: 'boolean', default: false },
    snakeviz: { type: 'string' },
  },
})
const sizes = (values.sizes ?? (values.anchors ? '1000,5000,20000,50000' : '1000,20000,100000'))
  .split(',')
  .map(Number)
const times = Number(values.repeat)
if (values.anchors) {
  if (!values.force) await MachineWatch.settle(180, (text) => process.stderr.write(`${text}\n`))
  process.exitCode = await runAnchors({
    sizes,
    times,
    port: Number(values.port),
    snakeviz: values.snakeviz ?? null,
    log: (text) => process.stderr.write(`${text}\n`),
  })
  process.exit()
}
const files = sizes.map(generatedProfile)
const SERIES_FUNCTIONS = 20_000

if (!values.force) await MachineWatch.settle(180, (text) => process.stderr.write(`${text}\n`))
const watch = new MachineWatch()

// Cold starts of the compiled server (a fresh DATA_DIR each): spawn → /api/health 200.
const startTimes: number[] = []
for (let i = 0; i < Math.max(times, 5); i++) {
  const started = await startServer(Number(values.port))
  startTimes.push(started.startMs)
  await started.stop()
}
const server = await startServer(Number(values.port))
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: CHROMIUM_ARGS,
})
try {
  const calibration = { node: calibrationLoop(), chromium: await calibrateBrowser(browser) }
  const ingestRows: string[][] = []
  const pageRows: string[][] = []
  const firstRows: string[][] = []
  const sortRows: string[][] = []
  const serverRows: string[][] = []
  const exportRows: string[][] = []
  const firstRuns: { id: string; name: string; size: number }[] = []
  for (const [i, file] of files.entries()) {
    const label = sizes[i]!.toLocaleString('en-US')
    process.stderr.write(`measuring ${label} functions…\n`)
    const uploads = await repeat(times, () => timedUpload(server.origin, file))
    firstRuns.push({ id: uploads[0]!.id, name: basename(file), size: sizes[i]! })
    const shim = await repeat(times, async () => timeShim(file))
    const bare = await repeat(times, async () => timeBarePstats(file))
    const upload = median(uploads.map((u) => u.milliseconds))
    ingestRows.push([
      label,
      spread(uploads.map((u) => u.milliseconds)),
      `${ms(median(shim))} (${Math.round((100 * median(shim)) / upload)} %)`,
      ms(median(bare)),
      `${(upload / median(bare)).toFixed(1)}×`,
      ms(Math.max(...uploads.map((u) => u.healthLagMs))),
    ])

    const firsts = await repeat(times, () =>
      measureFirstView(browser, server.origin, uploads[0]!.url),
    )
    const uploadsToChart = await repeat(times, () =>
      measureUploadToChart(browser, server.origin, file),
    )
    firstRows.push([
      label,
      spread(firsts.map((f) => f.firstView)),
      spread(firsts.map((f) => f.firstClick)),
      spread(uploadsToChart.map((u) => u.toChart)),
    ])
    const pages = await repeat(times, () => measureRunPage(browser, server.origin, uploads[0]!.url))
    const m = (pick: (p: PageMetrics) => number) => median(pages.map(pick))
    pageRows.push([
      label,
      spread(pages.map((p) => p.chartPaint)),
      spread(pages.map((p) => p.tableRows)),
      ms(m((p) => p.zoom)),
      ms(m((p) => p.hover)),
      ms(m((p) => p.tabSwitch)),
      ms(m((p) => p.searchKeystroke)),
      ms(m((p) => p.chartSearchKeystroke)),
      mb(m((p) => p.heapBytes)),
      ms(m((p) => p.longestTaskAfterPaint)),
      kb(m((p) => p.wireBytes)),
    ])
    const columns = Object.keys(pages[0]!.sorts)
    sortRows.push([label, ...columns.map((c) => ms(m((p) => p.sorts[c]!)))])
    if (sortRows.length === 1)
      sortRows.unshift(['functions', ...columns.map((c) => `sort by ${c}`)])

    const stats = await statsLatency(server.origin, uploads[0]!.id)
    serverRows.push([label, ms(stats.p50), ms(stats.p95)])
    const exported = await timeExports(server.origin, uploads[0]!.id, times)
    exportRows.push([
      label,
      ...exported.map((e) => `${ms(e.milliseconds)} (${mb(e.bytes)})`),
      ms(Math.max(...exported.map((e) => e.healthLagMs))),
    ])
  }
  // The largest run compared with the smallest (/compare/<100k>/<1k> by default).
  firstRuns.sort((a, b) => a.size - b.size)
  const compares =
    firstRuns.length < 2
      ? []
      : await repeat(times, () =>
          measureComparePage(browser, server.origin, firstRuns.at(-1)!, firstRuns[0]!),
        )
  const memory = await uploadMemory(server)
  const seriesRuns = Number(values['series-runs'])
  // A failure here (the last part, minutes of uploads) still prints the tables measured before it.
  let seriesFailure: string | null = null
  const series =
    seriesRuns > 0
      ? await measureSeries(
          server.origin,
          generatedProfile(SERIES_FUNCTIONS),
          seriesRuns,
          SERIES_FUNCTIONS,
          times,
          (text) => process.stderr.write(`${text}\n`),
        ).catch((error: unknown) => {
          const { exitCode, signalCode } = server.process
          seriesFailure = `${String(error)}; the server ${
            exitCode === null && signalCode === null
              ? 'was still running'
              : `had exited (${exitCode ?? signalCode})`
          }`
          return null
        })
      : null

  const quietness = watch.done()
  console.log(formatQuietness(quietness))
  const busy = tooBusy(quietness)
  if (busy !== null) {
    console.log(`\nThe machine was busy: ${busy}.`)
    if (!values.force) {
      console.log('The tables are withheld: run again on a quiet machine (or --force).')
      process.exitCode = 3
    } else
      console.log('--force: the tables below measure that other work too. Do not compare them.')
  }
  if (busy === null || values.force) printTables()
  function printTables() {
    console.log(
      `\nCalibration (50M-step integer loop): ${ms(calibration.node)} in Node, ${ms(calibration.chromium)} in Chromium\n`,
    )
    console.log(
      `Server start (node dist/server.js → /api/health 200, fresh DATA_DIR): median ${ms(median(startTimes))}, ${ms(Math.min(...startTimes))}–${ms(Math.max(...startTimes))} over ${startTimes.length}\n`,
    )
    console.log(
      'Ingest (upload → 201; the converter alone and its share; bare `pstats.Stats(f)`)\n',
    )
    printTable(
      [
        'functions',
        'upload → 201',
        'converter',
        'pstats.Stats',
        'upload ÷ pstats',
        'longest /api/health wait during upload',
      ],
      ingestRows,
    )
    console.log(
      `\nFirst view and first click (fresh context, 1280×800, measured from outside the app; median (min–max) of ${times})\n`,
    )
    printTable(
      [
        'functions',
        'navigation → the frame that shows the chart',
        'real click on ring 1 → the first changed frame',
        'Upload button: the 201 → the new run’s chart',
      ],
      firstRows,
    )
    console.log('\nBrowser (fresh context; input → next paint)\n')
    printTable(
      [
        'functions',
        'first chart paint',
        'first table rows',
        'zoom',
        'hover',
        'tab switch',
        'Search keystroke: table',
        'Search keystroke: charts',
        'JS heap',
        'longest task after paint',
        'bytes on the wire',
      ],
      pageRows,
    )
    console.log('')
    printTable(sortRows[0]!, sortRows.slice(1))
    console.log('\nServer (GET /stats, 200 requests, 10 at a time)\n')
    printTable(['functions', 'p50', 'p95'], serverRows)
    console.log('\nExports (GET /export/<format> → last byte; size; longest /api/health wait)\n')
    printTable(['functions', ...EXPORT_FORMATS, 'longest /api/health wait'], exportRows)
    if (compares.length > 0) {
      const c = (pick: (m: (typeof compares)[number]) => number) => ms(median(compares.map(pick)))
      console.log(
        `\nCompare /compare/<${firstRuns.at(-1)!.size.toLocaleString('en-US')}>/<${firstRuns[0]!.size.toLocaleString('en-US')}> (fresh context; Swap: the same page, runs swapped)\n`,
      )
      printTable(
        [
          'table shown',
          'longest task after first paint',
          'longest task after table',
          'Swap → table',
          'longest task in Swap',
        ],
        [
          [
            spread(compares.map((m) => m.tableShown)),
            c((m) => m.longestTaskAfterPaint),
            c((m) => m.longestTaskAfterTable),
            spread(compares.map((m) => m.swap)),
            c((m) => m.longestTaskInSwap),
          ],
        ],
      )
    }
    if (seriesFailure !== null) console.log(`\nSeries: not measured: ${seriesFailure}`)
    if (series !== null) {
      console.log(
        `\nSeries of ${series.runs} runs × ${series.functions.toLocaleString('en-US')} functions (upload → 201 of each run: ${spread(series.uploadMs)}; first query cold, then median of the rest)\n`,
      )
      printTable(
        ['query', 'cold', 'warm'],
        [
          ['GET /api/series', ms(series.series.cold), ms(series.series.warm)],
          ['GET /api/series/function', ms(series.function.cold), ms(series.function.warm)],
          ['GET /api/series/changes', ms(series.changes.cold), ms(series.changes.warm)],
        ],
      )
      console.log(
        `\nchanges found: ${series.changes.found.join(', ') || 'none'} (made slower: ${series.slowFunction})`,
      )
    }
    console.log(
      `\nServer memory while a 100 MB upload streams in: ${mb(memory.idle)} before, ${mb(memory.peak)} at peak (answer ${memory.status})`,
    )
  }
} finally {
  await browser.close()
  await server.stop()
}
