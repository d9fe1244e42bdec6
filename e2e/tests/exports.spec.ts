import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Page } from '@playwright/test'
import {
  buildCallTree,
  readProfileDocument,
  SPEEDSCOPE_TREE_OPTIONS,
  type CallTreeNode,
  type StoredProfileDocument,
} from '@profhub/profile'
import { fixturePath, listProfiles } from '@profhub/fixtures'
import { expect, test, uploadFixture } from '../fixtures.ts'

// speedscope's own build (the npm package ships the app, not its importers), served on
// profhub's origin under a path of its own so that it fetches the exports as any page would.
const SPEEDSCOPE = dirname(
  createRequire(import.meta.url).resolve('speedscope/dist/release/index.html'),
)

const routed = new WeakSet<Page>()

async function openInSpeedscope(page: Page, exportPath: string, sandwich = true): Promise<void> {
  if (!routed.has(page)) {
    routed.add(page)
    await page.route('**/__speedscope/**', (route) => {
      const file = new URL(route.request().url()).pathname.slice('/__speedscope/'.length)
      if (file.includes('..') || file.includes('/')) return route.abort()
      return route.fulfill({ path: join(SPEEDSCOPE, file) })
    })
  }
  // A fresh document each time: speedscope reads #profileURL when it starts.
  await page.goto('about:blank')
  await page.goto(
    `/__speedscope/index.html#profileURL=${encodeURIComponent(exportPath)}&view=sandwich`,
  )
  // The sandwich table, sorted by total time (largest first) rather than by self time.
  if (sandwich) await page.getByRole('columnheader', { name: 'Total' }).click()
}

/** The sandwich table's top row: total in seconds (parsed from speedscope's text), name. */
async function topRow(page: Page): Promise<{ seconds: number; text: string; name: string }> {
  const row = page.locator('tr').nth(1)
  await expect(row).toBeVisible()
  const [total = '', , name = ''] = (await row.locator('td').allInnerTexts()).map((t) => t.trim())
  const match = /^([\d.]+)(s|ms|µs|ns) \(/.exec(total)
  if (!match) throw new Error(`not a time: ${total}`)
  const scale = { s: 1, ms: 1e-3, µs: 1e-6, ns: 1e-9 }[match[2] as 's' | 'ms' | 'µs' | 'ns']
  return { seconds: Number(match[1]) * scale, text: total, name }
}

/** speedscope prints two decimals of the unit it picks: equal within half of the last one. */
function expectShown(shown: { seconds: number; text: string }, seconds: number) {
  const unit = shown.text.includes('ms') ? 1e-3 : shown.text.includes('µs') ? 1e-6 : 1
  expect(Math.abs(shown.seconds - seconds), `${shown.text} for ${seconds}s`).toBeLessThanOrEqual(
    unit * 0.005 + seconds * 1e-9,
  )
}

/**
 * What speedscope must show as the largest total of the exported tree: per function, its time
 * on the stack (an occurrence inside another of the same function counts once).
 */
function largestFrameTotal(doc: StoredProfileDocument): number {
  const tree = buildCallTree(readProfileDocument(doc), SPEEDSCOPE_TREE_OPTIONS)
  const totals = new Map<number, number>()
  const walk = (node: CallTreeNode, onStack: Set<number>) => {
    const outermost = !onStack.has(node.func)
    if (outermost) totals.set(node.func, (totals.get(node.func) ?? 0) + node.value)
    onStack.add(node.func)
    for (const child of node.children) walk(child, onStack)
    if (outermost) onStack.delete(node.func)
  }
  for (const root of tree.roots) walk(root, new Set())
  return Math.max(...totals.values())
}

// Every fixture profile (cProfile 2.7 to 3.13, the profile module, yappi, merges, the 3.15
// sampler, hostile names, threads, 20,000 functions), both formats in one page.
const FIXTURES = listProfiles()

test.describe('exports opened in speedscope', () => {
  test.describe.configure({ timeout: 180_000 })

  for (const fixture of FIXTURES) {
    test(`${fixture}: speedscope opens the speedscope and callgrind exports with their totals`, async ({
      page,
      request,
    }) => {
      const run = await uploadFixture(request, fixture)
      const doc = (await (
        await request.get(`/api/runs/${run.id}/profile`)
      ).json()) as StoredProfileDocument
      const tree = buildCallTree(readProfileDocument(doc))
      if (tree.roots.length === 0) {
        // An empty profile: nothing to draw, and speedscope says so rather than failing.
        await openInSpeedscope(page, `/api/runs/${run.id}/export/speedscope`, false)
        await expect(page.getByText(/empty|no samples|no symbols/i).first()).toBeVisible()
        return
      }

      await openInSpeedscope(page, `/api/runs/${run.id}/export/speedscope`)
      await expect(
        page.getByText(`${run.name} (call tree estimated from pstats caller totals)`),
      ).toBeVisible()
      expectShown(await topRow(page), largestFrameTotal(doc))

      await openInSpeedscope(page, `/api/runs/${run.id}/export/callgrind`)
      // <profile> calls each entry point with its time: together, the whole profile. (Its
      // only callee can tie with it: the profile module's entry has no time of its own.)
      const top = await topRow(page)
      expectShown(top, tree.total)
      const entry = page.locator('tr').filter({ hasText: '<profile>' })
      await expect(entry.locator('td').first()).toHaveText(top.text)
    })
  }
})

test('the Download menu offers the uploaded file and every export, each one downloads', async ({
  page,
  request,
}) => {
  const run = await uploadFixture(request, 'recursion-py3.11.prof', 'fib run.prof')
  await page.goto(run.url)
  const button = page.getByRole('button', { name: 'Download' })
  const menu = page.getByRole('menu', { name: 'Download' })
  const expected = [
    ['Uploaded file', 'recursion-py3.11.prof'],
    ['pstats file (.prof)', 'fib run.prof'],
    ['pstats report (.txt)', 'fib run.txt'],
    ['CSV (.csv)', 'fib run.csv'],
    ['Callgrind', 'callgrind.out.fib run'],
    ['speedscope (.json)', 'fib run.speedscope.json'],
  ] as const

  await button.click()
  await expect(menu).toBeVisible()
  await expect(menu.getByRole('menuitem')).toHaveText(
    expected
      .map(([label]) => label)
      .map((label) => new RegExp(`^${label.replace(/[().]/g, '\\$&')}`)),
  )
  await expect(menu.getByRole('menuitem', { name: 'CSV (.csv)' })).toHaveAccessibleDescription(
    'One row per function, for spreadsheets',
  )
  await page.keyboard.press('Escape')

  for (const [label, fileName] of expected) {
    await button.click()
    const download = page.waitForEvent('download')
    await menu.getByRole('menuitem', { name: label }).click()
    const file = await download
    expect(file.suggestedFilename()).toBe(fileName)
    const bytes = readFileSync(await file.path())
    expect(bytes.length, label).toBeGreaterThan(100)
    await expect(menu).toBeHidden()
  }
})

test('the Download menu works from the keyboard', async ({ page, request }) => {
  const run = await uploadFixture(request, 'recursion-py3.11.prof')
  await page.goto(run.url)
  const button = page.getByRole('button', { name: 'Download' })
  const menu = page.getByRole('menu', { name: 'Download' })

  await button.focus()
  await page.keyboard.press('Enter')
  await expect(menu.getByRole('menuitem', { name: 'Uploaded file' })).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(menu.getByRole('menuitem', { name: 'pstats file (.prof)' })).toBeFocused()
  await page.keyboard.press('End')
  await expect(menu.getByRole('menuitem', { name: 'speedscope (.json)' })).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(menu.getByRole('menuitem', { name: 'Uploaded file' })).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(menu).toBeHidden()
  await expect(button).toBeFocused()

  await page.keyboard.press('ArrowUp')
  await expect(menu.getByRole('menuitem', { name: 'speedscope (.json)' })).toBeFocused()
  await page.keyboard.press('ArrowUp')
  await page.keyboard.press('ArrowUp')
  await expect(menu.getByRole('menuitem', { name: 'CSV (.csv)' })).toBeFocused()
  const download = page.waitForEvent('download')
  await page.keyboard.press('Enter')
  expect((await download).suggestedFilename()).toBe('recursion-py3.11.csv')
})

test('a merged run offers each of its uploaded files', async ({ page, request }) => {
  const files = ['rules_cache1000.prof', 'rules_cache5000.prof']
  const form = new FormData()
  form.append('mode', 'merge')
  for (const name of files) form.append('file', new Blob([readFileSync(fixturePath(name))]), name)
  const response = await request.post('/api/runs', { multipart: form })
  expect(response.status(), await response.text()).toBe(201)
  await page.goto((await response.json()).url)

  // The header lists the files apart, in its text too: "a.prof (…), b.prof (…)".
  const merged = page.getByRole('list', { name: 'Merged from 2 files:' })
  await expect(merged.getByRole('listitem')).toHaveText([
    /^rules_cache1000\.prof\s\([\d.]+ KB\), $/,
    /^rules_cache5000\.prof\s\([\d.]+ KB\)$/,
  ])
  await expect(merged.getByRole('link')).toHaveCount(2)

  await page.getByRole('button', { name: 'Download' }).click()
  const menu = page.getByRole('menu', { name: 'Download' })
  for (const [index, name] of files.entries()) {
    const item = menu.getByRole('menuitem', { name: `Uploaded file ${index + 1} of 2` })
    await expect(item).toHaveAccessibleDescription(`${name}, as uploaded`)
    const download = page.waitForEvent('download')
    await item.click()
    const file = await download
    expect(file.suggestedFilename()).toBe(name)
    expect(readFileSync(await file.path())).toEqual(readFileSync(fixturePath(name)))
    await page.getByRole('button', { name: 'Download' }).click()
  }
})
