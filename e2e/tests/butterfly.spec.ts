import { fixturePath, generatedProfile } from '@profhub/fixtures'
import { expect, test, uploadFile } from '../fixtures.ts'

// rules_cache1000 builds its trees on the page; a generated 30,000-function profile in a Web
// Worker, which sends the top-down tree first and the bottom-up one after it.
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
    await page.goto(run.url)
    await expect(page.getByRole('application', { name: 'Sunburst chart' })).toBeVisible()
    expect(workers.some((url) => url.includes('call-tree.worker'))).toBe(
      fixture !== 'rules_cache1000.prof',
    )

    await page.getByRole('tab', { name: 'Butterfly' }).click()
    await expect(page.getByRole('application', { name: 'Bottom-up chart' })).toBeVisible()
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
