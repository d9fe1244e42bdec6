import type { APIRequestContext, Locator, Page } from '@playwright/test'
import {
  formatFunctionLabel,
  readProfileDocument,
  type CallEdge,
  type ProfileDocument,
} from '@profhub/profile'
import { expect, test, uploadFixture, type UploadedRun } from '../fixtures.ts'

// The same program with lru_cache(maxsize=1000) and then 5000: json.loads runs far less often.
const before = 'rules_cache1000.prof'
const after = 'rules_cache5000.prof'

async function profileOf(request: APIRequestContext, run: UploadedRun): Promise<ProfileDocument> {
  const response = await request.get(`/api/runs/${run.id}/profile`)
  expect(response.status()).toBe(200)
  return readProfileDocument(await response.json())
}

const isLoads = (f: { file: string; name: string }) =>
  f.name === 'loads' && f.file.endsWith('json/__init__.py')

/** json.loads's callers or callees in one document, by the other end's pstats label. */
function edgesOfLoads(doc: ProfileDocument, side: 'callers' | 'callees') {
  const loads = doc.functions.findIndex(isLoads)
  expect(loads).toBeGreaterThanOrEqual(0)
  const found = new Map<string, CallEdge>()
  for (const edge of doc.edges) {
    const other = side === 'callers' ? edge.caller : edge.callee
    if ((side === 'callers' ? edge.callee : edge.caller) === loads) {
      found.set(formatFunctionLabel(doc.functions[other]!), edge)
    }
  }
  return found
}

const seconds = (s: number | null) => s!.toFixed(3)
/** The panel's change: signed, pstats' three decimals, in parentheses. */
function change(x: number, y: number, digits: number) {
  const text = Math.abs(y - x).toFixed(digits)
  if (/^0(\.0+)?$/.test(text)) return `(${text})`
  return `(${y > x ? '+' : '-'}${text})`
}

/**
 * Every caller and callee of json.loads, with both runs' numbers from the stored documents
 * (pstats' caller → callee records), shown in `container` (the panel or the butterfly).
 */
async function expectLoadsEdges(container: Locator, docs: [ProfileDocument, ProfileDocument]) {
  for (const side of ['callers', 'callees'] as const) {
    const [was, now] = docs.map((doc) => edgesOfLoads(doc, side))
    expect(now!.size).toBeGreaterThan(0)
    const title = side === 'callers' ? 'Callers' : 'Callees'
    const section = container.getByRole('region', { name: new RegExp(`^${title} \\(\\d+\\)$`) })
    await expect(section.getByRole('heading')).toHaveText(`${title} (${now!.size})`)
    for (const [label, a] of now!) {
      const b = was!.get(label)!
      expect(b, `${label} calls json.loads in both runs`).toBeDefined()
      const item = section.getByRole('listitem').filter({ hasText: label })
      await expect(item).toHaveCount(1)
      const expected: [string, string][] = [
        ['ncalls before', String(b.ncalls)],
        ['ncalls after', String(a.ncalls)],
        ['ncalls change', change(b.ncalls, a.ncalls, 0)],
        ['tottime before', seconds(b.tottime)],
        ['tottime after', seconds(a.tottime)],
        ['tottime change', change(b.tottime!, a.tottime!, 3)],
        ['cumtime before', seconds(b.cumtime)],
        ['cumtime after', seconds(a.cumtime)],
        ['cumtime change', change(b.cumtime!, a.cumtime!, 3)],
      ]
      for (const [name, text] of expected) {
        await expect(item.getByTitle(name, { exact: true }), `${label}: ${name}`).toHaveText(text)
      }
    }
  }
}

/** The name and line (`:299(loads)`) and every number are on screen, inside `container`. */
async function expectNothingCut(page: Page, container: Locator) {
  await container.evaluate((root) => root.scrollTo(0, 0))
  const problems = await container.evaluate((root) => {
    const box = root.getBoundingClientRect()
    const out: string[] = []
    const inside = (el: Element, what: string) => {
      const r = el.getBoundingClientRect()
      if (r.left < box.left - 1 || r.right > box.right + 1) out.push(`${what} sticks out`)
      if (el.scrollWidth > el.clientWidth + 1) out.push(`${what} is cut`)
    }
    // FunctionName: the `:line(name)` part is its last child.
    for (const name of root.querySelectorAll('bdi[title]')) {
      const rest = name.lastElementChild
      if (rest) inside(rest, `the name in ${name.getAttribute('title')}`)
    }
    const numbers = ['ncalls', 'tottime', 'cumtime'].flatMap((c) =>
      ['', ' before', ' after', ' change'].map((side) => `[title="${c}${side}"]`),
    )
    for (const num of root.querySelectorAll(numbers.join(', '))) {
      inside(num, `${num.getAttribute('title')} ${num.textContent}`)
    }
    return out
  })
  expect(problems).toEqual([])
  expect(page.viewportSize()).not.toBeNull()
}

for (const width of [1280, 800]) {
  test(`${width} px: the compare page shows json.loads's callers and callees in both runs, as pstats counts them`, async ({
    page,
    request,
  }) => {
    await page.setViewportSize({ width, height: 900 })
    const a = await uploadFixture(request, before)
    const b = await uploadFixture(request, after)
    const docs: [ProfileDocument, ProfileDocument] = [
      await profileOf(request, a),
      await profileOf(request, b),
    ]

    await page.goto(`/compare/${a.id}/${b.id}`)
    const table = page.getByRole('table', { name: 'Changes by function' })
    await page.getByRole('searchbox', { name: 'Search' }).fill('json/__init__')
    await table.getByRole('row').filter({ hasText: '(loads)' }).click()

    const panel = page.getByRole('complementary', { name: 'Callers and callees' })
    await expect(panel.getByRole('heading', { level: 2 })).toHaveText(
      /json\/__init__\.py:299\(loads\)/,
    )
    await expectLoadsEdges(panel, docs)
    await expectNothingCut(page, panel)

    // Beside the charts too (the second run's, coloured by change).
    await page.getByRole('tab', { name: 'Icicle' }).click()
    await expect(page.getByRole('application', { name: 'Icicle chart' })).toBeVisible()
    await expectLoadsEdges(panel, docs)

    // The Butterfly tab: the same edges around the function, beside the after run's chart.
    await page.getByRole('tab', { name: 'Butterfly' }).click()
    await expect(page).toHaveURL(/tab=butterfly/)
    await expect(page.getByRole('application', { name: 'Bottom-up chart' })).toBeVisible()
    const butterfly = page.getByRole('region', { name: 'Butterfly' })
    await expect(butterfly.getByRole('heading', { level: 2 })).toHaveText(/:299\(loads\)/)
    await expectLoadsEdges(butterfly, docs)
    await expectNothingCut(page, butterfly)

    // A copied link reopens the tab with the function selected.
    await page.reload()
    await expect(page.getByRole('tab', { name: 'Butterfly' })).toHaveAttribute(
      'aria-selected',
      'true',
    )
    await expect(butterfly.getByRole('heading', { level: 2 })).toHaveText(/:299\(loads\)/)

    // Walking to a caller from the butterfly selects it.
    await butterfly
      .getByRole('region', { name: /^Callers/ })
      .getByRole('button', { name: /_rule_key_to_state/ })
      .click()
    await expect(butterfly.getByRole('heading', { level: 2 })).toHaveText(/_rule_key_to_state/)
  })
}

for (const width of [1280, 800]) {
  test(`${width} px: the run page's callers panel and butterfly show names and numbers uncut`, async ({
    page,
    request,
  }) => {
    await page.setViewportSize({ width, height: 900 })
    const run = await uploadFixture(request, before)
    const doc = await profileOf(request, run)
    await page.goto(run.url)
    await page.getByRole('tab', { name: 'Table' }).click()
    await page.getByRole('searchbox', { name: 'Search' }).fill('json/__init__')
    await page.getByRole('table').getByRole('row').filter({ hasText: '(loads)' }).click()

    const callers = edgesOfLoads(doc, 'callers')
    const [label, edge] = [...callers][0]!
    for (const container of [
      page.getByRole('complementary', { name: 'Callers and callees' }),
      page.getByRole('region', { name: 'Butterfly' }),
    ]) {
      if ((await container.count()) === 0)
        await page.getByRole('tab', { name: 'Butterfly' }).click()
      const item = container
        .getByRole('region', { name: /^Callers/ })
        .getByRole('listitem')
        .filter({ hasText: label })
      await expect(item.getByTitle('ncalls', { exact: true })).toHaveText(String(edge.ncalls))
      await expect(item.getByTitle('cumtime', { exact: true })).toHaveText(seconds(edge.cumtime))
      await expectNothingCut(page, container)
    }
  })
}

for (const width of [1280, 800]) {
  test(`${width} px: a recursive function's callers show pstats' ncalls (total/primitive) uncut`, async ({
    page,
    request,
  }) => {
    await page.setViewportSize({ width, height: 900 })
    // `_iterencode_dict` is called 1259976/427528 times, partly by itself.
    const run = await uploadFixture(request, 'jsondoc-py3.12.prof')
    const doc = await profileOf(request, run)
    const func = doc.functions.findIndex((f) => f.name === '_iterencode_dict')
    const callers = doc.edges.filter((e) => e.callee === func)
    expect(callers.some((e) => e.ncalls !== e.primitiveCalls)).toBe(true)

    await page.goto(run.url)
    await page.getByRole('tab', { name: 'Table' }).click()
    await page.getByRole('searchbox', { name: 'Search' }).fill('_iterencode_dict')
    await page.getByRole('table').getByRole('row').filter({ hasText: '(_iterencode_dict)' }).click()
    const panel = page.getByRole('complementary', { name: 'Callers and callees' })
    const section = panel.getByRole('region', { name: /^Callers/ })
    for (const edge of callers) {
      const label = formatFunctionLabel(doc.functions[edge.caller]!)
      const calls =
        edge.ncalls === edge.primitiveCalls
          ? `${edge.ncalls}`
          : `${edge.ncalls}/${edge.primitiveCalls}`
      const item = section.getByRole('listitem').filter({ hasText: label })
      await expect(item.getByTitle('ncalls', { exact: true })).toHaveText(calls)
    }
    await expectNothingCut(page, panel)
  })
}
