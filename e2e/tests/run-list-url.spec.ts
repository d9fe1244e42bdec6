import { expect, test, uploadFixture } from '../fixtures.ts'

// Each test names its runs with a unique tag and searches for it: other tests share the server.
const tag = () => `t${Math.random().toString(36).slice(2, 8)}`

test('the run list keeps its search and sort in the URL: reload, Back and a copied link', async ({
  page,
  browser,
  request,
}) => {
  const t = tag()
  await uploadFixture(request, 'recursion-py3.11.prof', `${t} fast run`)
  await uploadFixture(request, 'rules_cache1000.prof', `${t} slow run`)
  await page.goto('/')
  const search = page.getByRole('searchbox', { name: 'Search runs' })
  const links = page.getByRole('link', { name: new RegExp(t) })
  const totalTime = page.getByRole('columnheader', { name: 'Total time' })

  await search.fill(t)
  await expect(page).toHaveURL(`/?q=${t}`)
  await expect(links).toHaveText([`${t} slow run`, `${t} fast run`]) // newest first
  await totalTime.getByRole('button').click()
  await expect(page).toHaveURL(`/?q=${t}&sort=totalTime`)
  await totalTime.getByRole('button').click()
  await expect(page).toHaveURL(`/?q=${t}&sort=totalTime&dir=asc`)
  await expect(links).toHaveText([`${t} fast run`, `${t} slow run`])

  await page.reload()
  await expect(search).toHaveValue(t)
  await expect(totalTime).toHaveAttribute('aria-sort', 'ascending')
  await expect(links).toHaveText([`${t} fast run`, `${t} slow run`])

  // Back undoes a sort; a run opened from the list comes back to the same list.
  await page.goBack()
  await expect(page).toHaveURL(`/?q=${t}&sort=totalTime`)
  await expect(totalTime).toHaveAttribute('aria-sort', 'descending')
  await expect(links).toHaveText([`${t} slow run`, `${t} fast run`])
  await links.first().click()
  await expect(page).toHaveURL(/\/runs\//)
  await page.goBack()
  await expect(page).toHaveURL(`/?q=${t}&sort=totalTime`)
  await expect(search).toHaveValue(t)
  await expect(links).toHaveText([`${t} slow run`, `${t} fast run`])
  await page.goBack()
  await expect(page).toHaveURL(`/?q=${t}`)
  await expect(totalTime).toHaveAttribute('aria-sort', 'none')
  await expect(links).toHaveText([`${t} slow run`, `${t} fast run`])

  // A link to the list, opened elsewhere, shows the same list; a search changed by hand in the
  // URL replaces the text in the box.
  const other = await browser.newPage()
  try {
    await other.goto(`/?q=${encodeURIComponent(`${t} fast`)}&sort=name&dir=desc`)
    await expect(other.getByRole('searchbox', { name: 'Search runs' })).toHaveValue(`${t} fast`)
    await expect(other.getByRole('columnheader', { name: 'Name' })).toHaveAttribute(
      'aria-sort',
      'descending',
    )
    await expect(other.getByRole('link', { name: new RegExp(t) })).toHaveText([`${t} fast run`])
  } finally {
    await other.close()
  }
})

test('the run list writes its URL in the canonical form and ignores what it does not know', async ({
  page,
  request,
}) => {
  const t = tag()
  await uploadFixture(request, 'recursion-py3.11.prof', `${t} only run`)
  await page.goto(`/?sort=size&dir=sideways&q=%20${t}%20`)
  await expect(page).toHaveURL(`/?q=${t}`)
  await expect(page.getByRole('link', { name: new RegExp(t) })).toHaveText([`${t} only run`])
  await expect(page.getByRole('columnheader', { name: 'Uploaded' })).toHaveAttribute(
    'aria-sort',
    'descending',
  )
  // The search box emptied lists every run again at the bare path.
  await page.getByRole('searchbox', { name: 'Search runs' }).fill('')
  await expect(page).toHaveURL('/')
})
