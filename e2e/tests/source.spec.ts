import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { expect, openTable, test, uploadFixture } from '../fixtures.ts'
import { recordRun, uploadRecording } from '../run-parts.ts'

const PROGRAM = path.resolve(import.meta.dirname, '../programs/hold_memory.py')

test('selecting a function shows its source, the def line marked, with its time and memory', async ({
  page,
  request,
}) => {
  const recording = await recordRun(PROGRAM, ['20000'])
  try {
    const run = await uploadRecording(request, recording, { name: 'source run' })
    await openTable(page, run.url)
    await page.getByRole('row', { name: /hold_memory\.py:7\(build_rows\)/ }).click()
    const source = page.getByRole('region', { name: /^Source/ })
    await expect(source).toBeVisible()
    const def = source.locator('[data-def="true"]')
    await expect(def).toHaveAttribute('data-line', '7')
    await expect(def).toContainText('def build_rows(n):')
    await expect(def).toContainText(/tottime .* · cumtime /)
    // The whole (small) file, one row per line, as uploaded.
    const text = recording.parts.source.toString('utf8')
    const lineCount = (
      JSON.parse(text) as { files: { text: string }[] }
    ).files[0]!.text.trimEnd().split('\n').length
    await expect(source.locator('[data-line]')).toHaveCount(lineCount)
    // Line 10 (rows.append) holds memory: the size is beside it.
    const held = recording.memory.lines.find((l) => l.file === recording.script && l.line === 10)!
    await expect(source.locator('[data-line="10"] span').nth(1)).toHaveAttribute(
      'title',
      new RegExp(`^${held.size.toLocaleString('en-US')} bytes`),
    )
  } finally {
    await rm(recording.dir, { recursive: true, force: true })
  }
})

test('a hostile file name and source render as text', async ({ page, request }) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'profhub-hostile-'))
  try {
    const script = path.join(dir, '<img src=x onerror=alert(1)>.py')
    await writeFile(
      script,
      [
        '# </code></pre><script>alert("pwned")</script>',
        'def evil():',
        '    s = "<b>bold</b> \u202e gnp.exe"  # \u0007',
        '    return [s] * 10',
        '',
        'evil()',
        '',
      ].join('\n'),
    )
    const recording = await recordRun(script)
    const run = await uploadRecording(request, recording, { name: 'hostile source' })
    page.on('dialog', (dialog) => {
      throw new Error(`a dialog opened: ${dialog.message()}`)
    })
    await openTable(page, run.url)
    // runpy's and the import system's calls come first: the search finds it.
    await page.getByRole('searchbox', { name: 'Search' }).fill('evil')
    await page.getByRole('row', { name: /\(evil\)/ }).click()
    const source = page.getByRole('region', { name: /^Source/ })
    await expect(source.getByRole('heading')).toContainText('<img src=x onerror=alert(1)>.py')
    await expect(source.locator('[data-line="1"]')).toContainText(
      '# </code></pre><script>alert("pwned")</script>',
    )
    // The bidi override and the bell are shown as escapes, the markup as characters.
    await expect(source.locator('[data-def="true"]')).toHaveAttribute('data-line', '2')
    await expect(source.locator('[data-line="3"]')).toContainText(
      's = "<b>bold</b> \\u202e gnp.exe"  # \\x07',
    )
    await expect(page.locator('img, b, script:not([src])')).toHaveCount(0)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})

test('a plain .prof says the source was not uploaded and how to include it', async ({
  page,
  request,
}) => {
  const run = await uploadFixture(request, 'jsondoc-py3.11.prof', 'plain profile')
  await openTable(page, run.url)
  await page.getByRole('row', { name: /jsondoc\.py:\d+\(make_order\)/ }).click()
  const panel = page.getByRole('complementary', { name: 'Callers and callees' })
  await expect(panel.getByRole('region', { name: /^Source/ })).toContainText(
    'The source was not uploaded with this run.',
  )
  await expect(panel).toContainText('--no-source')
})
