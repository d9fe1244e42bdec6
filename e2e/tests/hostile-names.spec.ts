import { expect, openTable, test, uploadFixture } from '../fixtures.ts'

// Function names and file paths come from the uploaded file: they must show as inert text.
for (const profile of ['hostile_names.prof', 'hostile_names-py2.7.prof']) {
  test(`${profile}: hostile names render as text and run nothing`, async ({ page, request }) => {
    const run = await uploadFixture(request, profile)
    const dialogs: string[] = []
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message())
      await dialog.dismiss()
    })
    await openTable(page, run.url)

    const table = page.getByRole('table')
    await page.getByRole('searchbox', { name: 'Search' }).fill('<script>')
    await expect(table.getByRole('row').nth(1)).toContainText('<script>alert(1)</script>')

    await page.getByRole('searchbox', { name: 'Search' }).fill('onerror')
    await expect(table.getByRole('row').nth(1)).toContainText('<img src=x onerror=alert(1)>')
    await table.getByRole('row').nth(1).click()

    await page.getByRole('searchbox', { name: 'Search' }).fill('')
    await expect(table.getByRole('row').nth(1)).toBeVisible()
    // The charts draw the same names as canvas text and in their tooltips and captions.
    for (const tab of ['Sunburst', 'Icicle'] as const) {
      await page.getByRole('tab', { name: tab }).click()
      const chart = page.getByRole('application', { name: `${tab} chart` })
      const box = (await chart.boundingBox())!
      for (const [x, y] of [
        [0.5, 0.5],
        [0.3, 0.6],
        [0.7, 0.4],
        [0.05, 0.1],
      ] as const) {
        await page.mouse.move(box.x + box.width * x, box.y + box.height * y)
      }
      await chart.focus()
      await page.keyboard.press('ArrowDown')
      await expect(page.getByRole('tooltip')).toBeVisible()
    }

    // Nothing from the profile became markup: no injected images, scripts or links.
    await expect(page.locator('img')).toHaveCount(0)
    await expect(page.locator('a[href^="javascript:"]')).toHaveCount(0)
    expect(await page.locator('script:not([src])').count()).toBe(0)
    // The long names stay inside the page instead of stretching it.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    expect(overflow).toBeLessThanOrEqual(1)
    expect(dialogs).toEqual([])
  })
}
