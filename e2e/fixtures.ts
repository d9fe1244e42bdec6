import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test'
import { fixturePath } from '@profhub/fixtures'

export { expect }

/**
 * Every test fails on a console error or an uncaught exception in the page, except the errors
 * a test names in `allowedConsoleErrors` (Chromium logs every 4xx response it receives).
 */
export const test = base.extend<{ allowedConsoleErrors: RegExp[] }>({
  allowedConsoleErrors: [[], { option: true }],
  page: async ({ page, allowedConsoleErrors }, use) => {
    const problems: string[] = []
    page.on('console', (message) => {
      const text = message.text()
      if (message.type() === 'error' && !allowedConsoleErrors.some((re) => re.test(text))) {
        problems.push(`console error: ${text}`)
      }
    })
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    await use(page)
    expect(problems).toEqual([])
  },
})

export interface UploadedRun {
  id: string
  name: string
  url: string
}

/** Seeds a run the way `curl -F file=@x.prof` does. */
export async function uploadFixture(
  request: APIRequestContext,
  name: string,
  runName?: string,
): Promise<UploadedRun> {
  return uploadFile(request, fixturePath(name), runName)
}

/** Uploads the profile at `path`. */
export async function uploadFile(
  request: APIRequestContext,
  path: string,
  runName?: string,
): Promise<UploadedRun> {
  const response = await request.post('/api/runs', {
    multipart: {
      file: {
        name: basename(path),
        mimeType: 'application/octet-stream',
        buffer: readFileSync(path),
      },
      ...(runName === undefined ? {} : { name: runName }),
    },
  })
  expect(response.status(), await response.text()).toBe(201)
  return (await response.json()) as UploadedRun
}

/** Opens a run page and switches to its Table tab, as a person would. */
export async function openTable(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.getByRole('tab', { name: 'Table' }).click()
  await expect(page.getByRole('tab', { name: 'Table' })).toHaveAttribute('aria-selected', 'true')
}
