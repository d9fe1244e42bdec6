import { generatedProfile } from '@profhub/fixtures'
import { expect, test, uploadFile, uploadFixture } from '../fixtures.ts'

// A 100,000-function run compared with a small one: the comparison runs in a worker, and the
// page must stay usable (Swap answers). How fast is the benchmark's business (`pnpm bench`).
test('a compare with a 100k-function run shows its table, and Swap works', async ({
  page,
  request,
}) => {
  test.setTimeout(600_000)
  const big = await uploadFile(request, generatedProfile(100_000), 'big-100k')
  const small = await uploadFixture(request, 'rules_cache1000.prof', 'small-run')

  await page.goto(`/compare/${big.id}/${small.id}`)
  const heading = page.getByRole('heading', { level: 1 })
  await expect(heading).toHaveText('big-100k → small-run', { timeout: 300_000 })
  const table = page.getByRole('table', { name: 'Changes by function' })
  await expect(table.getByRole('row').nth(1)).toBeVisible({ timeout: 300_000 })
  // Every function of the big run is in one run only.
  await expect(table.getByText('removed').first()).toBeVisible()

  await page.getByRole('button', { name: 'Swap' }).click()
  await expect(page).toHaveURL(new RegExp(`/compare/${small.id}/${big.id}`))
  await expect(heading).toHaveText('small-run → big-100k', { timeout: 300_000 })
  await expect(table.getByRole('row').nth(1)).toBeVisible({ timeout: 300_000 })
  await expect(table.getByText('added').first()).toBeVisible()
})
