import { readFileSync } from 'node:fs'
import { fixturePath } from '@profhub/fixtures'
import { expect, test } from '../fixtures.ts'

test('a profile chosen with the Upload profile button opens its run page', async ({ page }) => {
  await page.goto('/')
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Upload profile' }).click()
  await (await chooser).setFiles(fixturePath('recursion-py3.11.prof'))

  await expect(page).toHaveURL(/\/runs\/[A-Za-z0-9_-]{22}$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('recursion-py3.11.prof')
  await expect(page.getByRole('tab', { name: 'Sunburst' })).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByRole('application', { name: 'Sunburst chart' })).toBeVisible()
})

test('a profile dropped anywhere on the page is uploaded and opened', async ({ page }) => {
  await page.goto('/')
  const bytes = [...readFileSync(fixturePath('jsondoc-py2.7.prof'))]
  const dataTransfer = await page.evaluateHandle((content) => {
    const transfer = new DataTransfer()
    const file = new File([new Uint8Array(content)], 'jsondoc-py2.7.prof')
    transfer.items.add(file)
    return transfer
  }, bytes)
  // Dropped on the page's body, not on a dedicated zone: the whole page takes files.
  const body = page.locator('body')
  await body.dispatchEvent('dragenter', { dataTransfer })
  await body.dispatchEvent('dragover', { dataTransfer })
  await body.dispatchEvent('drop', { dataTransfer })

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('jsondoc-py2.7.prof')
  await expect(page.getByText('111 functions', { exact: false }).first()).toBeVisible()
})

test.describe('a rejected upload', () => {
  test.use({ allowedConsoleErrors: [/status of 400/] })

  test('a file that is not a profile is refused with a message, and nothing else changes', async ({
    page,
  }) => {
    await page.goto('/')
    const chooser = page.waitForEvent('filechooser')
    await page.getByRole('button', { name: 'Upload profile' }).click()
    await (await chooser).setFiles(fixturePath('bad_truncated.prof'))

    const alert = page.getByRole('alert')
    await expect(alert).toContainText('bad_truncated.prof')
    await expect(alert).toContainText(/truncated|ends/i)
    await expect(page).toHaveURL(/\/$/)
  })
})
