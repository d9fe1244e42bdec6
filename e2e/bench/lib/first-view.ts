/**
 * What a person waits for, measured from outside the app (no app timestamps), in a fresh
 * headless Chromium context at 1280×800:
 * - first view: navigation start → the frame after the sunburst's canvas first holds drawn
 *   pixels (on the lines through its centre) and the Table tab can be clicked;
 * - first click: a real mouse click on ring 1 of the sunburst of that fresh page (the focus's
 *   heaviest callee) → the frame after the canvas first differs from what it showed at the
 *   pointerdown: the first frame of the zoom the user sees, input dispatch included.
 * - upload → chart: a file chosen with the run list's Upload button; from the end of its
 *   upload (the 201's last byte, the page's resource timing) to the frame after the new run's
 *   chart first shows. Nothing of the run has been read yet: its tree is built then.
 * "The frame after" is one requestAnimationFrame and a message-channel task: the paint that
 * shows the change is counted.
 */
import type { Browser, Page } from '@playwright/test'

export interface FirstView {
  firstView: number
  firstClick: number
}

/** In the page: true once the chart has drawn and the Table tab is enabled. */
function chartDrawn(): boolean {
  const tab = document.querySelector<HTMLButtonElement>('#tab-table[role="tab"]')
  if (!tab || tab.disabled || tab.getClientRects().length === 0) return false
  const canvas = document.querySelector<HTMLCanvasElement>('canvas[aria-label="Sunburst chart"]')
  if (!canvas || canvas.width < 100 || canvas.height < 100) return false
  const context = canvas.getContext('2d')
  if (!context) return false
  const { width: w, height: h } = canvas
  const row = context.getImageData(0, h >> 1, w, 1).data
  const col = context.getImageData(w >> 1, 0, 1, h).data
  let painted = 0
  for (let i = 3; i < row.length; i += 4) if (row[i] !== 0) painted++
  for (let i = 3; i < col.length; i += 4) if (col[i] !== 0) painted++
  return painted >= 100
}

/**
 * In the page, from the document's start: polls every frame until the chart is drawn, then
 * waits one more frame and keeps the time then (`profhubFirstView`).
 */
function installFirstViewProbe(drawn: () => boolean): void {
  const state = window as unknown as { profhubFirstView?: Promise<number> }
  state.profhubFirstView = new Promise((resolve) => {
    const poll = () => {
      if (!drawn()) {
        requestAnimationFrame(poll)
        return
      }
      requestAnimationFrame(() => {
        const channel = new MessageChannel()
        channel.port1.onmessage = () => resolve(performance.now())
        channel.port2.postMessage(null)
      })
    }
    requestAnimationFrame(poll)
  })
}

/**
 * In the page: where ring 1 is (the sunburst's layout: the centre disc two rings wide, the
 * Depth setting + 1 levels in the radius), 45° clockwise from 12 o'clock; and, from the next
 * pointerdown, the time to the first frame whose centre lines differ.
 */
function armClick(): { x: number; y: number } {
  const canvas = document.querySelector<HTMLCanvasElement>('canvas[aria-label="Sunburst chart"]')!
  const context = canvas.getContext('2d')!
  const box = canvas.getBoundingClientRect()
  const depthLabel = [...document.querySelectorAll('label')].find(
    (label) => label.textContent?.trim() === 'Depth',
  )
  const depth = Number((depthLabel?.control as HTMLInputElement | null)?.value) || 10
  const radius = Math.min(box.width, box.height) / 2 - 6
  const ring = radius / (depth + 2)
  const d = (2.5 * ring) / Math.SQRT2
  const lines = () => {
    const { width: w, height: h } = canvas
    return [
      w,
      h,
      ...context.getImageData(0, h >> 1, w, 1).data,
      ...context.getImageData(w >> 1, 0, 1, h).data,
    ]
  }
  const state = window as unknown as { profhubClick?: Promise<number> }
  state.profhubClick = new Promise((resolve) => {
    addEventListener(
      'pointerdown',
      (event) => {
        const before = lines()
        const start = event.timeStamp
        const poll = () => {
          const now = lines()
          const changed = now.length !== before.length || now.some((v, i) => v !== before[i])
          if (!changed) {
            requestAnimationFrame(poll)
            return
          }
          requestAnimationFrame(() => {
            const channel = new MessageChannel()
            channel.port1.onmessage = () => resolve(performance.now() - start)
            channel.port2.postMessage(null)
          })
        }
        requestAnimationFrame(poll)
      },
      { capture: true, once: true },
    )
  })
  return { x: box.left + box.width / 2 + d, y: box.top + box.height / 2 - d }
}

/** snakeviz takes about a second per thousand functions to show anything. */
const READY_TIMEOUT_MS = 300_000

/** A fresh context whose pages keep, from their start, when `drawn` (its source) first held. */
async function probedPage(browser: Browser, drawn: string) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
  })
  // tsx (esbuild) names functions with a `__name` helper that the page does not have.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f' })
  await context.addInitScript({ content: `(${installFirstViewProbe.toString()})(${drawn})` })
  return { context, page: await context.newPage() }
}

const firstViewOf = (page: Page) =>
  page.evaluate(() => (window as unknown as { profhubFirstView: Promise<number> }).profhubFirstView)

/**
 * Any page's first view: navigation start → the frame after `ready` (a JavaScript expression,
 * evaluated in the page every frame) first holds. For the other viewers of `--anchors`.
 */
export async function measureReady(browser: Browser, url: string, ready: string): Promise<number> {
  const { context, page } = await probedPage(browser, `() => (${ready})`)
  let timer: NodeJS.Timeout | undefined
  try {
    await page.goto(url, { waitUntil: 'commit', timeout: READY_TIMEOUT_MS })
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${url} was not ready within ${READY_TIMEOUT_MS / 1000} s`)),
        READY_TIMEOUT_MS,
      )
    })
    return await Promise.race([firstViewOf(page), timedOut])
  } finally {
    clearTimeout(timer)
    await context.close()
  }
}

/** `click: false` measures the first view only (firstClick is then NaN). */
export async function measureFirstView(
  browser: Browser,
  origin: string,
  url: string,
  { click = true } = {},
): Promise<FirstView> {
  const { context, page } = await probedPage(browser, chartDrawn.toString())
  try {
    await page.goto(`${origin}${url}`, { waitUntil: 'commit' })
    const firstView = await firstViewOf(page)
    if (!click) return { firstView, firstClick: NaN }
    // As a person would: a moment to look before the first click.
    await page.waitForTimeout(300)
    const target = await page.evaluate(armClick)
    await page.mouse.click(target.x, target.y)
    const firstClick = await page.evaluate(
      () => (window as unknown as { profhubClick: Promise<number> }).profhubClick,
    )
    return { firstView, firstClick }
  } finally {
    await context.close()
  }
}

export interface UploadToChart {
  /** The upload's request start → its 201's last byte. */
  upload: number
  /** That last byte → the frame after the run's chart first shows. */
  toChart: number
}

/** A fresh run list page, `file` uploaded with its Upload button, until the run's chart shows. */
export async function measureUploadToChart(
  browser: Browser,
  origin: string,
  file: string,
): Promise<UploadToChart> {
  const { context, page } = await probedPage(browser, chartDrawn.toString())
  try {
    await page.goto(`${origin}/`)
    const chooser = page.waitForEvent('filechooser')
    await page.getByRole('button', { name: 'Upload profile' }).click()
    await (await chooser).setFiles(file)
    const shown = await firstViewOf(page)
    const upload = await page.evaluate(() => {
      const posts = performance
        .getEntriesByType('resource')
        .filter((entry) => new URL(entry.name).pathname === '/api/runs')
        .map((entry) => entry as PerformanceResourceTiming)
        .filter((entry) => entry.initiatorType === 'xmlhttprequest')
      const post = posts.at(-1)
      if (!post) throw new Error('no upload in the page’s resource timing')
      return { start: post.startTime, end: post.responseEnd }
    })
    return { upload: upload.end - upload.start, toChart: shown - upload.end }
  } finally {
    await context.close()
  }
}
