import { randomBytes } from 'node:crypto'
import type { APIRequestContext } from '@playwright/test'
import { makeSeriesProfiles } from '@profhub/fixtures'
import { expect, openTable, test, type UploadedRun } from '../fixtures.ts'

/** From this run on, `parse_rule` does three times the work (fixtures/series.ts). */
const FIRST_SLOW = 8
const RUNS = 12

interface SeriesRun extends UploadedRun {
  commit: string
}

/**
 * A series as CI would make it: the fixture program profiled at 12 "commits", each run
 * uploaded with its project, commit and commit time.
 */
async function uploadSeries(request: APIRequestContext, project: string): Promise<SeriesRun[]> {
  const runs: SeriesRun[] = []
  for (const { index, commit, commitTime, prof } of await makeSeriesProfiles(RUNS, FIRST_SLOW)) {
    const form = new FormData()
    form.append('name', `series run ${index}`)
    form.append('label', project)
    form.append('label', `commit=${commit}`)
    form.append('label', `commit-time=${commitTime}`)
    form.append('file', new Blob([new Uint8Array(prof)]), `run${index}.prof`)
    const response = await request.post('/api/runs', { multipart: form })
    expect(response.status(), await response.text()).toBe(201)
    runs.push({ ...((await response.json()) as UploadedRun), commit })
  }
  return runs
}

test('a series names the function that got slower, and its history shows where', async ({
  page,
  request,
}) => {
  // Twelve profiled and uploaded runs: room for a loaded machine.
  test.setTimeout(300_000)
  const project = `project=series-e2e-${randomBytes(4).toString('hex')}`
  const runs = await uploadSeries(request, project)
  const slowRun = runs[FIRST_SLOW - 1]!

  // From the run list filtered by the label, one click to the series.
  await page.goto(`/?label=${encodeURIComponent(project)}`)
  await page.getByRole('link', { name: 'Show as a series' }).click()
  await expect(page).toHaveURL(new RegExp(`/series\\?label=${encodeURIComponent(project)}$`))
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Series ${project}`)
  await expect(
    page.getByRole('figure', { name: 'Total time of each run' }).getByRole('link'),
  ).toHaveCount(RUNS)

  const changes = page.getByRole('list', { name: 'Changes' })
  const parse = changes
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: /^parse_rule / }) })
  await expect(parse).toHaveCount(1)
  await expect(parse).toContainText('slower')
  // Its commit opens that run with parse_rule selected; the run before is one click away.
  await expect(
    parse.getByRole('link', { name: `commit ${slowRun.commit.slice(0, 10)}` }),
  ).toHaveAttribute('href', new RegExp(`^/runs/${slowRun.id}\\?v=2&fn=.*%3Aparse_rule$`))
  await expect(parse.getByRole('link', { name: 'Compare with the run before' })).toHaveAttribute(
    'href',
    new RegExp(`^/compare/${runs[FIRST_SLOW - 2]!.id}/${slowRun.id}\\?v=2&fn=.*%3Aparse_rule$`),
  )
  // Its callers grew only through it: listed under it, not as changes of their own.
  const callers = parse.getByRole('list', { name: 'Grew through parse_rule' })
  for (const caller of ['load_rules', 'main', '<listcomp>']) {
    await expect(callers.getByText(caller, { exact: true })).toHaveCount(1)
    await expect(changes.getByRole('heading', { name: new RegExp(`^${caller} `) })).toHaveCount(0)
  }
  await expect(callers).toContainText('cumulative time grew only through parse_rule')
  await expect(changes.getByRole('heading', { name: /^score_rule / })).toHaveCount(0)

  await parse.getByRole('link', { name: 'History', exact: true }).click()
  await expect(page).toHaveURL(/\/series\/function\?/)
  await expect(page.getByRole('heading', { level: 1 })).toContainText('parse_rule')
  const historyUrl = new URL(page.url())
  const table = page.getByRole('table', { name: 'Function history' })
  await expect(table.getByRole('row')).toHaveCount(RUNS + 1)
  const rows = table.getByRole('row')
  await expect(rows.nth(FIRST_SLOW)).toContainText(`series run ${FIRST_SLOW}`)
  await expect(rows.nth(FIRST_SLOW)).toContainText('slower')
  await expect(rows.nth(1)).not.toContainText('slower')

  // Each point of the chart is a link to its run.
  const chart = page.getByRole('figure', { name: 'Own and cumulative time in each run' })
  const last = chart.getByRole('link', { name: new RegExp(`^Run ${RUNS}: series run ${RUNS},`) })
  await last.hover()
  await expect(page.getByRole('tooltip')).toContainText(`commit=${runs[RUNS - 1]!.commit}`)
  await last.click()
  await expect(page).toHaveURL(new RegExp(`/runs/${runs[RUNS - 1]!.id}$`))

  // From a run's table: History on the selected function leads to the same page.
  await openTable(page, slowRun.url)
  await page.getByRole('searchbox', { name: 'Search' }).fill('parse_rule')
  await page
    .getByRole('table', { name: 'Functions' })
    .getByRole('row')
    .filter({ hasText: '(parse_rule)' })
    .click()
  await page
    .getByRole('complementary', { name: 'Callers and callees' })
    .getByRole('link', { name: 'History', exact: true })
    .click()
  await expect(page).toHaveURL(historyUrl.href)
  await expect(page.getByRole('table', { name: 'Function history' }).getByRole('row')).toHaveCount(
    RUNS + 1,
  )
})
