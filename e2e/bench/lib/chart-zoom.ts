import type { Page } from '@playwright/test'

/**
 * One zoom, timed inside the page from the input event to the app's performance marks: the
 * next painted frame (`profhub:zoom-frame`) and the end of the animation (`profhub:zoom-done`).
 * In: Enter on the keyboard cursor, moved first to the heaviest callee. Out: a click on the
 * focused node. Null when there is nowhere to zoom.
 */
export async function zoom(page: Page, chart: string, direction: 'in' | 'out') {
  if (direction === 'in') {
    await page.getByRole('application', { name: chart }).press('ArrowDown')
    await page.evaluate(
      () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
    )
  }
  return page.evaluate(
    ({ chart, direction }) =>
      new Promise<{ frame: number; done: number } | null>((resolve) => {
        const canvas = document.querySelector<HTMLCanvasElement>(`canvas[aria-label="${chart}"]`)!
        const marks: Record<string, number> = {}
        const observer = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) {
            if (e.name === 'profhub:zoom-frame' || e.name === 'profhub:zoom-done')
              marks[e.name] = e.startTime
          }
          const frame = marks['profhub:zoom-frame']
          const done = marks['profhub:zoom-done']
          if (frame !== undefined && done !== undefined) {
            observer.disconnect()
            clearTimeout(timer)
            resolve({ frame: frame - t0, done: done - t0 })
          }
        })
        observer.observe({ type: 'mark' })
        const timer = setTimeout(() => {
          observer.disconnect()
          resolve(null)
        }, 5000)
        const t0 = performance.now()
        if (direction === 'in') {
          canvas.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))
        } else {
          const r = canvas.getBoundingClientRect()
          // The focused node: the sunburst's centre, the icicle's top row.
          const x = chart.startsWith('Sunburst') ? r.left + r.width / 2 : r.left + 5
          const y = chart.startsWith('Sunburst') ? r.top + r.height / 2 : r.top + 5
          canvas.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: x, clientY: y }))
        }
      }),
    { chart, direction },
  )
}
