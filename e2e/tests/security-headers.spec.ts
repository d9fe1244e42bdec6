import { generatedProfile } from '@profhub/fixtures'
import { expect, test, uploadFile, uploadFixture } from '../fixtures.ts'

// The Content-Security-Policy forbids inline scripts and eval. A page that needed either would
// break in the browser with a CSP violation, which is a console error: the `page` fixture
// fails every test on one, so the whole suite checks the policy against the real app.

function directive(policy: string, name: string): string {
  const found = policy.split(';').find((part) => part.trim().split(/\s+/, 1)[0] === name)
  return found?.trim() ?? ''
}

test('a run page works under a strict policy: no inline script, no eval', async ({
  page,
  request,
}) => {
  // A big profile's bottom-up tree is built in a Web Worker started from its own file
  // (worker-src 'self') when the Butterfly tab first shows.
  const run = await uploadFile(request, generatedProfile(30_000))
  const workers: string[] = []
  page.on('worker', (worker) => workers.push(worker.url()))
  const response = await page.goto(run.url)
  const policy = response!.headers()['content-security-policy'] ?? ''
  expect(directive(policy, 'script-src')).toBe("script-src 'self'")
  expect(directive(policy, 'style-src')).toBe("style-src 'self'")
  expect(directive(policy, 'frame-ancestors')).toBe("frame-ancestors 'none'")
  expect(response!.headers()['referrer-policy']).toBe('no-referrer')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(run.name)
  await expect(page.getByRole('application', { name: 'Sunburst chart' })).toBeVisible()
  await page.getByRole('tab', { name: 'Butterfly' }).click()
  await expect(page.getByRole('application', { name: 'Bottom-up chart' })).toBeVisible()
  expect(workers.filter((url) => url.includes('call-tree.worker'))).toHaveLength(1)
  await page.getByRole('tab', { name: 'Table' }).click()
  await expect(page.getByRole('table').getByRole('row').nth(1)).toBeVisible()
  expect(await page.evaluate(() => document.querySelectorAll('script:not([src])').length)).toBe(0)
  expect(await page.evaluate(() => document.querySelectorAll('[style]').length)).toBeGreaterThan(0)
})

test.describe('a violation', () => {
  // This test provokes violations on purpose and checks that they are reported.
  test.use({ allowedConsoleErrors: [/Content Security Policy/] })

  test('is blocked and reported as a console error', async ({ page, request }) => {
    const run = await uploadFixture(request, 'recursion-py3.11.prof')
    const errors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    await page.goto(run.url)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(run.name)
    // What an injected name would try: an inline script does not run (eval cannot be tried
    // from here: Playwright's evaluate is exempt from the page's policy).
    const ran = await page.evaluate(() => {
      const script = document.createElement('script')
      script.textContent = 'window.inlineRan = true'
      document.body.append(script)
      return 'inlineRan' in window
    })
    expect(ran).toBe(false)
    await expect
      .poll(() => errors.filter((text) => /Content Security Policy/.test(text)).length)
      .toBe(1)
  })
})

test('the API docs (Swagger UI) render under the policy', async ({ page }) => {
  const response = await page.goto('/api/docs')
  const policy = response!.headers()['content-security-policy'] ?? ''
  expect(directive(policy, 'script-src')).toBe("script-src 'self'")
  await expect(page.getByRole('heading', { name: /profhub/ })).toBeVisible()
  await expect(page.getByText('/api/runs/{id}/export/{format}')).toBeVisible()
  expect(await page.evaluate(() => document.querySelectorAll('script:not([src])').length)).toBe(0)
})
