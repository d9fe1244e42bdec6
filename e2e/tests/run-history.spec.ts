import { readFileSync, writeFileSync } from 'node:fs'
import { basename } from 'node:path'
import { fixturePath, readSummary } from '@profhub/fixtures'
import { expect, test, uploadFixture } from '../fixtures.ts'

// Each test names its runs with a unique tag and searches for it: other tests share the server.
const tag = () => `t${Math.random().toString(36).slice(2, 8)}`

test('the run list searches, sorts, keeps notes and deletes with confirmation', async ({
  page,
  request,
}) => {
  const t = tag()
  await uploadFixture(request, 'recursion-py3.11.prof', `${t} fast run`)
  await uploadFixture(request, 'rules_cache1000.prof', `${t} slow run`)
  await page.goto('/')
  await page.getByRole('searchbox', { name: 'Search runs' }).fill(t)
  const links = page.getByRole('link', { name: new RegExp(t) })
  await expect(links).toHaveText([`${t} slow run`, `${t} fast run`]) // newest first

  await page.getByRole('button', { name: 'Total time' }).click()
  await expect(links.first()).toHaveText(`${t} slow run`)
  await page.getByRole('button', { name: 'Total time' }).click()
  await expect(links.first()).toHaveText(`${t} fast run`)

  await page.getByRole('button', { name: `Edit note for ${t} fast run` }).click()
  await page.getByRole('textbox', { name: 'Note' }).fill('before the <b>cache</b> change')
  await page.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByText('before the <b>cache</b> change')).toBeVisible()
  await page.getByRole('link', { name: `${t} fast run` }).click()
  await expect(page.getByText('before the <b>cache</b> change')).toBeVisible()
  await page.goto('/')
  await page.getByRole('searchbox', { name: 'Search runs' }).fill(t)
  await expect(page.getByText('before the <b>cache</b> change')).toBeVisible()

  await page.getByRole('button', { name: `Delete ${t} slow run` }).click()
  const dialog = page.getByRole('dialog', { name: 'Delete run?' })
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(links).toHaveCount(2)
  await page.getByRole('button', { name: `Delete ${t} slow run` }).click()
  await dialog.getByRole('button', { name: 'Delete run' }).click()
  await expect(links).toHaveText([`${t} fast run`])
})

test('two runs chosen in the list open their comparison', async ({ page, request }) => {
  const t = tag()
  const older = await uploadFixture(request, 'rules_cache1000.prof', `${t} maxsize 1000`)
  const newer = await uploadFixture(request, 'rules_cache5000.prof', `${t} maxsize 5000`)
  await page.goto('/')
  await page.getByRole('searchbox', { name: 'Search runs' }).fill(t)
  await page.getByRole('checkbox', { name: `Select ${t} maxsize 5000` }).check()
  await page.getByRole('checkbox', { name: `Select ${t} maxsize 1000` }).check()
  await page.getByRole('button', { name: 'Compare selected' }).click()
  await expect(page).toHaveURL(new RegExp(`/compare/${older.id}/${newer.id}`))
})

test('profiles uploaded together can be merged into one run, as pstats.Stats.add does', async ({
  page,
}) => {
  const parts = ['rules_cache1000.prof', 'rules_cache5000.prof', 'rules-py3.11.prof']
  await page.goto('/')
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Upload profile' }).click()
  await (await chooser).setFiles(parts.map(fixturePath))
  await page.getByRole('dialog').getByRole('button', { name: 'Merge into one run' }).click()

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('rules_cache1000.prof + 2 more')
  const merged = readSummary('merged-rules-py3.11.prof')
  const calls = merged.totalCalls.toLocaleString('en-US')
  const primitive = merged.primitiveCalls.toLocaleString('en-US')
  await expect(
    page.getByText(`${calls} function calls (${primitive} primitive calls)`),
  ).toBeVisible()
  await expect(page.getByText(`in ${merged.totalTime.toFixed(3)} seconds`)).toBeVisible()
  // Where it came from: each part, downloadable as uploaded.
  for (const [index, part] of parts.entries()) {
    await expect(page.getByRole('link', { name: new RegExp(part) })).toHaveAttribute(
      'href',
      new RegExp(`/files/${index}$`),
    )
  }
})

test('the original file downloads from the list', async ({ page, request }) => {
  const t = tag()
  await uploadFixture(request, 'shapes-py3.9.prof', `${t} shapes`)
  await page.goto('/')
  await page.getByRole('searchbox', { name: 'Search runs' }).fill(t)
  // Only once the list shows just this run: other tests upload runs at the same time.
  await expect(page.getByRole('link', { name: 'Download' })).toHaveCount(1)
  const download = page.waitForEvent('download')
  await page.getByRole('link', { name: 'Download' }).click()
  const file = await (await download).path()
  expect(readFileSync(file)).toEqual(readFileSync(fixturePath('shapes-py3.9.prof')))
})

test.describe('several files with a bad one', () => {
  test.use({ allowedConsoleErrors: [/status of 400/] })

  test('are stored together or not at all, and the bad one is named', async ({
    page,
    request,
  }, testInfo) => {
    // A good file under a name of its own, to tell whether it was stored.
    const good = testInfo.outputPath(`${tag()}-recursion.prof`)
    writeFileSync(good, readFileSync(fixturePath('recursion-py3.11.prof')))
    await page.goto('/')
    const chooser = page.waitForEvent('filechooser')
    await page.getByRole('button', { name: 'Upload profile' }).click()
    await (await chooser).setFiles([good, fixturePath('bad_json.prof')])
    await page.getByRole('dialog').getByRole('button', { name: 'Keep as separate runs' }).click()

    const alert = page.getByRole('alert')
    await expect(alert).toContainText(
      `Nothing was uploaded from “${basename(good)}”, “bad_json.prof”.`,
    )
    await expect(alert).toContainText(/bad_json\.prof.*JSON/)
    const runs = await request.get(`/api/runs?q=${encodeURIComponent(basename(good))}`)
    expect((await runs.json()).runs).toEqual([])
  })
})
