import type { Locator } from '@playwright/test'
import { expect, openTable, test, uploadFixture } from '../fixtures.ts'

/**
 * What a table shows uncut: every rendered row's `:line(name)` (the part of the function label
 * that names it) inside its cell, the cell inside the window, and every `ncalls` cell's text
 * whole. Returns the problems found, and how many rows were looked at.
 */
async function layoutProblems(table: Locator): Promise<{ rows: number; problems: string[] }> {
  return table.evaluate((el) => {
    const problems: string[] = []
    const headers = [...el.querySelectorAll('[role=columnheader]')].map((h) => h.textContent ?? '')
    const rows = [...el.querySelectorAll<HTMLElement>('[role=row][data-index]')]
    // Rows rendered below the fold (the virtualizer's overscan) are not on screen to look at.
    const bottom = el.getBoundingClientRect().bottom
    const shown = rows.filter((row) => row.getBoundingClientRect().top < bottom)
    for (const row of shown) {
      const cells = [...row.querySelectorAll<HTMLElement>('[role=cell]')]
      cells.forEach((cell, i) => {
        if (headers[i]?.startsWith('ncalls') && cell.scrollWidth > cell.clientWidth) {
          problems.push(`${headers[i]} cut: "${cell.textContent}" in row ${row.dataset.index}`)
        }
      })
      const label = cells.at(-1)!
      const name = label.querySelector<HTMLElement>('bdi > span:last-child')
      if (!name) {
        problems.push(`no function name in row ${row.dataset.index}`)
        continue
      }
      const cellBox = label.getBoundingClientRect()
      const nameBox = name.getBoundingClientRect()
      if (
        name.scrollWidth > name.clientWidth ||
        nameBox.left < cellBox.left - 0.5 ||
        nameBox.right > cellBox.right + 0.5 ||
        cellBox.right > window.innerWidth + 0.5 ||
        nameBox.width < 1
      ) {
        problems.push(`name cut: "${name.textContent}" in row ${row.dataset.index}`)
      }
    }
    return { rows: shown.length, problems }
  })
}

for (const width of [800, 1280]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: 720 } })

    test('the stats table shows every function name and ncalls uncut', async ({
      page,
      request,
    }) => {
      // `_iterencode_dict` is called 1259976/427528 times: the widest ncalls of the fixtures.
      const run = await uploadFixture(request, 'jsondoc-py3.12.prof')
      await openTable(page, run.url)
      const table = page.getByRole('table', { name: 'Functions' })
      const ncalls = table.getByRole('columnheader', { name: 'ncalls' })
      await ncalls.click()
      await expect(ncalls).toHaveAttribute('aria-sort', 'descending')
      await expect(table.getByRole('row').nth(1).getByRole('cell').first()).toHaveText(
        '1259976/427528',
      )
      const top = await layoutProblems(table)
      expect(top.rows).toBeGreaterThan(10)
      expect(top.problems).toEqual([])

      // The longest paths first.
      const label = table.getByRole('columnheader', { name: 'filename:lineno(function)' })
      await label.click()
      await label.click()
      await expect(label).toHaveAttribute('aria-sort', 'descending')
      expect((await layoutProblems(table)).problems).toEqual([])
    })

    test('the compare table shows every function name, ncalls and the change in percent', async ({
      page,
      request,
    }) => {
      const a = await uploadFixture(request, 'rules_cache1000.prof')
      const b = await uploadFixture(request, 'rules_cache5000.prof')
      await page.goto(`/compare/${a.id}/${b.id}`)
      const table = page.getByRole('table', { name: 'Changes by function' })
      await expect(table.getByRole('row').nth(1)).toBeVisible()
      const top = await layoutProblems(table)
      expect(top.rows).toBeGreaterThan(10)
      expect(top.problems).toEqual([])

      // The change and its percentage are on screen at any width: fewer json.loads calls.
      await page.getByRole('searchbox', { name: 'Search' }).fill('json/__init__')
      const loads = table.getByRole('row').filter({ hasText: '(loads)' })
      const change = table.getByRole('columnheader', { name: 'ncalls change', exact: true })
      const percent = table.getByRole('columnheader', { name: 'ncalls % change', exact: true })
      for (const header of [change, percent]) await expect(header).toBeInViewport()
      const headers = await table.getByRole('columnheader').allTextContents()
      const cells = loads.getByRole('cell')
      await expect(cells.nth(headers.indexOf('ncalls change'))).toHaveText(/^-\d+$/)
      await expect(cells.nth(headers.indexOf('ncalls % change'))).toHaveText(/^-\d+(\.\d+)? %$/)
      await expect(cells.last()).toBeInViewport()
      expect((await layoutProblems(table)).problems).toEqual([])
    })
  })
}
