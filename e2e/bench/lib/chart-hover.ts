import type { Page } from '@playwright/test'

/**
 * Hover: the pointer moves onto another node of a chart → the next frame after its tooltip
 * changed, timed inside the page from the pointer event's timestamp. Moves outwards from the
 * sunburst's centre, one ring at a time; moves that land on the same node (no tooltip change)
 * are not counted.
 */
export async function hoverTimes(page: Page, chart: string, moves = 6): Promise<number[]> {
  const box = (await page.getByRole('application', { name: chart }).boundingBox())!
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 }
  const radius = Math.min(box.width, box.height) / 2
  const times: number[] = []
  for (let i = 1; i <= moves; i++) {
    const timing = page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let input = 0
          const onMove = (event: PointerEvent) => {
            input ||= event.timeStamp
          }
          const done = (value: number) => {
            observer.disconnect()
            removeEventListener('pointermove', onMove, { capture: true })
            resolve(value)
          }
          addEventListener('pointermove', onMove, { capture: true })
          const observer = new MutationObserver(() => {
            if (input) requestAnimationFrame(() => done(performance.now() - input))
          })
          observer.observe(document.body, { subtree: true, childList: true, characterData: true })
          setTimeout(() => done(NaN), 1000)
        }),
    )
    await page.mouse.move(centre.x + (radius * i) / (moves + 1), centre.y)
    const ms = await timing
    if (!Number.isNaN(ms)) times.push(ms)
  }
  return times
}
