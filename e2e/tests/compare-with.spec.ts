import { compareWith } from '../compare-with.ts'
import { expect, test, uploadFixture } from '../fixtures.ts'

// More runs than one page of the list (50): the oldest is found by searching, not scrolling.
test('"Compare with" finds the oldest of more than 50 runs by part of its name', async ({
  page,
  request,
}) => {
  test.setTimeout(600_000)
  const tag = Math.random().toString(36).slice(2, 8)
  const oldest = await uploadFixture(request, 'rules_cache1000.prof', `oldest ${tag} baseline`)
  let newest = oldest
  for (let i = 0; i < 51; i++) {
    newest = await uploadFixture(request, 'rules_cache1000.prof', `filler ${tag} ${i}`)
  }
  await page.goto(newest.url)

  // Typing narrows the list as one types; arrows and Enter pick, like a click.
  const box = page.getByRole('combobox', { name: 'Compare with' })
  await box.fill(`${tag} base`)
  const options = page.getByRole('listbox', { name: 'Runs' }).getByRole('option')
  await expect(options).toHaveCount(1)
  await expect(options.first()).toContainText(`oldest ${tag} baseline`)
  await expect(options.first()).toContainText(/ago|just now/)
  await box.press('ArrowDown')
  await expect(box).toHaveAttribute('aria-activedescendant', /.+/)
  await expect(options.first()).toHaveAttribute('aria-selected', 'true')
  await box.press('Enter')
  await expect(box).toHaveValue(`oldest ${tag} baseline`)
  await expect(box).toHaveAttribute('aria-expanded', 'false')
  await page.getByRole('button', { name: 'Compare', exact: true }).click()
  await expect(page).toHaveURL(new RegExp(`/compare/${newest.id}/${oldest.id}`))
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    `filler ${tag} 50 → oldest ${tag} baseline`,
  )

  // Typing a run's whole name and pressing Enter twice compares with it, no arrows needed.
  await page.goBack()
  await box.fill(`filler ${tag} 7`)
  await expect(options.first()).toContainText(`filler ${tag} 7`)
  await box.press('Enter')
  await expect(box).toHaveValue(`filler ${tag} 7`)
  await box.press('Enter')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    `filler ${tag} 50 → filler ${tag} 7`,
  )

  // The same with the mouse, through the shared helper.
  await page.goBack()
  await compareWith(page, oldest, `oldest ${tag}`)
  await expect(page).toHaveURL(new RegExp(`/compare/${newest.id}/${oldest.id}`))
})
