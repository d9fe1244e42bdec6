import { rm } from 'node:fs/promises'
import path from 'node:path'
import { expect, openTable, test, uploadFixture } from '../fixtures.ts'
import { exactBytes, recordRun, uploadRecording, type Recording } from '../run-parts.ts'

const PROGRAM = path.resolve(import.meta.dirname, '../programs/hold_memory.py')

let recording: Recording
test.beforeAll(async () => {
  recording = await recordRun(PROGRAM, ['20000'])
})
test.afterAll(async () => {
  await rm(recording.dir, { recursive: true, force: true })
})

test('the Memory tab shows the document’s totals, lines and functions', async ({
  page,
  request,
}) => {
  const run = await uploadRecording(request, recording, { name: 'memory run' })
  const doc = recording.memory
  await page.goto(`${run.url}?v=2&tab=memory`)
  await expect(page.getByRole('tab', { name: 'Memory' })).toHaveAttribute('aria-selected', 'true')

  // The totals are tracemalloc's numbers, to the byte.
  const totals = page.locator('dl[aria-label="Memory totals"] dd')
  await expect(totals.nth(0)).toContainText(exactBytes(doc.peakBytes))
  await expect(totals.nth(1)).toContainText(exactBytes(doc.finalBytes))

  // The heaviest line first, with the document's size and count.
  const lines = page.getByRole('table', { name: 'Memory by line' })
  const top = [...doc.lines].sort((a, b) => b.size - a.size)[0]!
  const first = lines.getByRole('row').nth(1)
  await expect(first.getByRole('cell').nth(0)).toHaveText(`${top.file}:${top.line}`)
  await expect(first.getByRole('cell').nth(1)).toHaveAttribute('title', exactBytes(top.size))
  await expect(first.getByRole('cell').nth(2)).toHaveText(top.count.toLocaleString('en-US'))
  await expect(lines.getByRole('row')).toHaveCount(Math.min(doc.lines.length, 100) + 1)

  // build_rows holds the most: its lines, summed by enclosing def.
  const functions = page.getByRole('table', { name: 'Memory by function' })
  const buildRows = doc.lines.filter(
    (l) => l.file === recording.script && l.line >= 7 && l.line < 14,
  )
  const expected = buildRows.reduce((sum, l) => sum + l.size, 0)
  const row = functions.getByRole('row').filter({ hasText: 'build_rows' })
  await expect(row.getByRole('cell').nth(1)).toHaveAttribute('title', exactBytes(expected))

  // Linked to the same function in the CPU views: the table, with it selected.
  await row.getByRole('link').click()
  await expect(page.getByRole('tab', { name: 'Table' })).toHaveAttribute('aria-selected', 'true')
  const panel = page.getByRole('complementary', { name: 'Callers and callees' })
  await expect(panel.getByRole('heading', { level: 2 })).toContainText('build_rows')
  expect(new URL(page.url()).searchParams.get('fn')).toContain(':7:build_rows')

  // Traced while profiled: the page says the CPU times include tracing.
  await expect(page.getByRole('note')).toContainText('tracemalloc’s overhead')
})

test('a run without memory data says so and how to record it', async ({ page, request }) => {
  const run = await uploadFixture(request, 'jsondoc-py3.11.prof', 'no memory')
  await page.goto(run.url)
  await page.getByRole('tab', { name: 'Memory' }).click()
  await expect(page.getByText('This run has no memory data.')).toBeVisible()
  await expect(page.getByText('python profhub.py run --memory your_script.py')).toBeVisible()
  await expect(page.getByRole('note')).toHaveCount(0)
  // The CPU views are a tab away.
  await openTable(page, run.url)
})

test('comparing with a run without memory data says which run has it', async ({
  page,
  request,
}) => {
  const traced = await uploadRecording(request, recording, { name: 'traced' })
  const plain = await uploadFixture(request, 'jsondoc-py3.11.prof', 'untraced')
  await page.goto(`/compare/${plain.id}/${traced.id}`)
  await expect(page.getByText('Only the second (after) run has memory data')).toBeVisible()
  await expect(page.locator('dl[aria-label="Memory"]')).toHaveCount(0)
})
