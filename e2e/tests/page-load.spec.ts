import { expect, test, uploadFixture } from '../fixtures.ts'

// What a run page loads: the run, its profile document and the charts' tree, each once: the
// page's Link header has the browser fetch them while the app's script loads, and the app's own
// fetches take those answers.
test('a run page fetches its run, profile and tree once each', async ({ page, request }) => {
  const run = await uploadFixture(request, 'realworld-unittest-py3.11.prof')
  const fetched: string[] = []
  page.on('request', (sent) => {
    const path = new URL(sent.url()).pathname
    if (path.startsWith('/api/runs/')) fetched.push(path)
  })
  await page.goto(run.url)
  await expect(page.getByRole('application', { name: 'Sunburst chart' })).toBeVisible()
  await page.getByRole('tab', { name: 'Table' }).click()
  await expect(page.getByRole('table').getByRole('row').nth(1)).toBeVisible()

  const base = `/api/runs/${run.id}`
  expect(fetched.filter((path) => path.startsWith(base)).sort()).toEqual(
    [base, `${base}/profile`, `${base}/tree`].sort(),
  )
})

test.describe('when the profile cannot be read', () => {
  test.use({ allowedConsoleErrors: [/status of 500/] })

  for (const [answer, message] of [
    ['bytes that are not a profile', /The server sent an answer profhub cannot read/],
    ['a server error', /It broke\./],
  ] as const) {
    test(`${answer}: the page says it could not open the run, and opens it on “Try again”`, async ({
      page,
      request,
    }) => {
      const run = await uploadFixture(request, 'recursion-py3.11.prof')
      let broken = true
      await page.route('**/api/runs/*/profile', (route) =>
        !broken
          ? route.continue()
          : answer === 'a server error'
            ? route.fulfill({
                status: 500,
                contentType: 'application/json',
                body: JSON.stringify({ error: 'Internal Server Error', message: 'It broke.' }),
              })
            : route.fulfill({ contentType: 'application/json', body: '{"cut short' }),
      )
      await page.goto(run.url)
      const alert = page.getByRole('alert')
      await expect(alert).toContainText('Could not open this run.')
      await expect(alert).toContainText(message)

      broken = false
      await alert.getByRole('button', { name: 'Try again' }).click()
      await expect(page.getByRole('application', { name: 'Sunburst chart' })).toBeVisible()
    })
  }
})
