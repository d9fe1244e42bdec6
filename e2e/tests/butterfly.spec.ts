import { fixturePath, generatedProfile } from '@profhub/fixtures'
import { expect, test, uploadFile } from '../fixtures.ts'

// The charts' top-down tree comes from the server (GET /api/runs/:id/tree). The bottom-up tree
// is built when the Butterfly tab first shows: on the page for rules_cache1000; in a Web Worker
// for a generated 30,000-function profile.
for (const fixture of ['rules_cache1000.prof', 'large-30000.prof']) {
  test(`${fixture}: the butterfly tab shows the bottom-up chart and a function's callers and callees`, async ({
    page,
    request,
  }) => {
    const run = await uploadFile(
      request,
      fixture === 'large-30000.prof' ? generatedProfile(30_000) : fixturePath(fixture),
    )
    const workers: string[] = []
    page.on('worker', (worker) => workers.push(worker.url()))
    const tree = page.waitForResponse((response) => response.url().endsWith(`${run.id}/tree`))
    await page.goto(run.url)
    expect((await tree).status()).toBe(200)
    await expect(page.getByRole('application', { name: 'Sunburst chart' })).toBeVisible()
    expect(workers).toEqual([])

    await page.getByRole('tab', { name: 'Butterfly' }).click()
    await expect(page.getByRole('application', { name: 'Bottom-up chart' })).toBeVisible()
    expect(workers.some((url) => url.includes('call-tree.worker'))).toBe(
      fixture !== 'rules_cache1000.prof',
    )
    await expect(page.locator('figure figcaption')).toContainText('Most own time:')
    const butterfly = page.getByRole('region', { name: 'Butterfly' })
    await expect(butterfly).toContainText('Select a function')

    // The function with the most own time: the bottom-up chart's heaviest root.
    await page.getByRole('tab', { name: 'Table' }).click()
    await page.getByRole('columnheader', { name: 'tottime' }).click()
    const first = page.getByRole('table').getByRole('row').nth(1)
    const label = (await first.getByRole('cell').last().textContent())!.trim()
    await first.click()
    await page.getByRole('tab', { name: 'Butterfly' }).click()
    await expect(butterfly.getByRole('heading', { level: 2 })).toHaveText(label)
    await expect(butterfly.getByRole('heading', { name: /^Callees \(\d+\)$/ })).toBeVisible()
    await expect(butterfly.getByRole('heading', { name: /^Callers \(\d+\)$/ })).toBeVisible()
    await expect(page.locator('figure figcaption')).toContainText('Its callers:')
  })
}

// The page builds the charts' tree itself when the server's cannot be had (a failed request,
// bytes that are not a tree): on the page when small, in a Web Worker when big.
test.describe('without the server’s tree', () => {
  test.use({ allowedConsoleErrors: [/net::ERR_FAILED/] })
  for (const [fixture, answer] of [
    ['rules_cache1000.prof', 'abort'],
    ['large-30000.prof', 'not a tree'],
  ] as const) {
    test(`${fixture}: the charts draw without the server's tree (${answer})`, async ({
      page,
      request,
    }) => {
      const big = fixture === 'large-30000.prof'
      const run = await uploadFile(request, big ? generatedProfile(30_000) : fixturePath(fixture))
      await page.route('**/api/runs/*/tree', (route) =>
        answer === 'abort'
          ? route.abort()
          : route.fulfill({ contentType: 'application/octet-stream', body: 'PHT1 but no tree' }),
      )
      const workers: string[] = []
      page.on('worker', (worker) => workers.push(worker.url()))
      await page.goto(run.url)
      await page.waitForFunction(() =>
        performance.getEntriesByName('profhub:chart-painted').some((mark) => {
          return (mark as PerformanceMark).detail?.chart === 'Sunburst chart'
        }),
      )
      await expect(page.locator('figure figcaption')).toContainText('Focused: All functions')
      expect(workers.some((url) => url.includes('call-tree.worker'))).toBe(big)
    })
  }
})
