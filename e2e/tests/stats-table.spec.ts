import { readFileSync } from 'node:fs'
import { fixturePath } from '@profhub/fixtures'
import { expect, openTable, test, uploadFixture } from '../fixtures.ts'

interface SummaryRow {
  file: string
  line: number
  name: string
  ncalls: number
  primitiveCalls: number
  tottime: number
  cumtime: number
}

function pstatsSummary(name: string): { topCumulative: SummaryRow[]; topTottime: SummaryRow[] } {
  return JSON.parse(readFileSync(fixturePath(name.replace(/\.prof$/, '.summary.json')), 'utf8'))
}

/** The cells pstats prints for a row: ncalls, tottime, percall, cumtime, percall, label. */
function pstatsCells(row: SummaryRow): string[] {
  const ncalls =
    row.ncalls === row.primitiveCalls ? `${row.ncalls}` : `${row.ncalls}/${row.primitiveCalls}`
  const perCall = (time: number, calls: number) => (calls === 0 ? '' : (time / calls).toFixed(3))
  return [
    ncalls,
    row.tottime.toFixed(3),
    perCall(row.tottime, row.ncalls),
    row.cumtime.toFixed(3),
    perCall(row.cumtime, row.primitiveCalls),
    pstatsLabel(row),
  ]
}

/**
 * pstats' `func_std_string`: built-ins as `{name}`, everything else `file:line(name)`. A code
 * object (in `profile`-module keys) prints with its memory address, which profhub leaves out.
 */
function pstatsLabel({ file, line, name: rawName }: SummaryRow): string {
  const name = rawName.replace(/(<code object .*?) at 0x[0-9a-f]+,/, '$1,')
  if (file === '~' && line === 0) {
    return name.startsWith('<') && name.endsWith('>') ? `{${name.slice(1, -1)}}` : name
  }
  return `${file}:${line}(${name})`
}

const profileName = 'recursion-py3.11.prof'

test('the table shows pstats numbers and sorts by every column', async ({ page, request }) => {
  const run = await uploadFixture(request, profileName)
  const truth = pstatsSummary(profileName)
  await openTable(page, run.url)

  const table = page.getByRole('table')
  const firstRow = table.getByRole('row').nth(1)
  const cumtime = table.getByRole('columnheader', { name: 'cumtime' })
  const tottime = table.getByRole('columnheader', { name: 'tottime' })

  // Default order is cumulative time, like `sort_stats("cumulative")`.
  const top = truth.topCumulative[0]!
  await expect(firstRow.getByRole('cell')).toHaveText(pstatsCells(top))

  await tottime.click()
  await expect(tottime).toHaveAttribute('aria-sort', 'descending')
  await expect(cumtime).not.toHaveAttribute('aria-sort', /ascending|descending/)
  const heaviest = truth.topTottime[0]!
  await expect(firstRow.getByRole('cell')).toHaveText(pstatsCells(heaviest))

  await tottime.click()
  await expect(tottime).toHaveAttribute('aria-sort', 'ascending')
  await expect(firstRow.getByRole('cell').nth(1)).toHaveText('0.000')

  const ncalls = table.getByRole('columnheader', { name: 'ncalls' })
  await ncalls.click()
  await expect(ncalls).toHaveAttribute('aria-sort', 'descending')
  await expect(firstRow.getByRole('cell').first()).toHaveText('21891/1')

  const label = table.getByRole('columnheader', { name: 'filename:lineno(function)' })
  await label.click()
  await expect(label).toHaveAttribute('aria-sort', 'ascending')
  for (const header of await table.getByRole('columnheader', { name: 'percall' }).all()) {
    await header.click()
    await expect(header).toHaveAttribute('aria-sort', 'descending')
  }
})

test('Search filters the table as you type, by function or file', async ({ page, request }) => {
  const run = await uploadFixture(request, profileName)
  await openTable(page, run.url)
  const table = page.getByRole('table')
  const search = page.getByRole('searchbox', { name: 'Search' })

  await search.pressSequentially('is_ev')
  await expect(table.getByRole('row')).toHaveCount(2)
  await expect(table.getByRole('row').nth(1)).toContainText('is_even')

  await search.fill('RECURSION.PY')
  await expect(table.getByRole('row').nth(1)).toContainText('/opt/app/recursion.py')
  for (const row of (await table.getByRole('row').all()).slice(1)) {
    await expect(row).toContainText('recursion.py')
  }

  await search.fill('no function is called this')
  await expect(table.getByRole('row')).toHaveCount(1)
})

test('clicking a row shows its callers and callees with their times', async ({ page, request }) => {
  const run = await uploadFixture(request, profileName)
  await openTable(page, run.url)
  await page.getByRole('searchbox', { name: 'Search' }).fill('fib')
  await page.getByRole('table').getByRole('row').filter({ hasText: '(fib)' }).first().click()

  const callers = page.getByRole('region', { name: /callers/i })
  await expect(callers).toContainText('(main)')
  await expect(callers).toContainText('(fib)')
  const callees = page.getByRole('region', { name: /callees/i })
  await expect(callees).toBeVisible()
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText('fib')
})

// One profile of every kind the shim reads: the table's top rows are what pstats prints.
const corpusSample = [
  'recursion-py2.7.prof',
  'jsondoc-py3.6.prof',
  'textdiff-py3.13.prof',
  'recursion-profile-py3.11.prof',
  'jsondoc-yappi.prof',
  'merged-rules-py3.11.prof',
  'sampled-py3.15.prof',
  'realworld-unittest-py3.11.prof',
  'large-20k.prof',
]

for (const profile of corpusSample) {
  test(`${profile}: the top rows equal pstats by cumtime and by tottime`, async ({
    page,
    request,
  }) => {
    const run = await uploadFixture(request, profile)
    const truth = pstatsSummary(profile)
    await openTable(page, run.url)
    const rows = page.getByRole('table').getByRole('row')
    const expectTopRows = async (expected: SummaryRow[]) => {
      for (const [index, row] of expected.slice(0, 8).entries()) {
        await expect(rows.nth(index + 1).getByRole('cell')).toHaveText(pstatsCells(row))
      }
    }
    await expectTopRows(truth.topCumulative)
    await page.getByRole('table').getByRole('columnheader', { name: 'tottime' }).click()
    await expectTopRows(truth.topTottime)
  })
}
