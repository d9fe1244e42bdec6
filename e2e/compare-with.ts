import { expect, type Page } from '@playwright/test'

/**
 * Picks a run in a run page's "Compare with" combobox as a person does: types part of its name
 * (`typed`, the whole name by default), picks its option in the list, then presses Compare.
 * Runs of the same name are told apart by id (the option carries it).
 */
export async function compareWith(
  page: Page,
  run: { id: string; name: string },
  typed: string = run.name,
): Promise<void> {
  const box = page.getByRole('combobox', { name: 'Compare with' })
  await box.fill(typed)
  const option = page
    .getByRole('listbox', { name: 'Runs' })
    .getByRole('option')
    .and(page.locator(`[data-run-id="${run.id}"]`))
  await expect(option).toContainText(run.name)
  await option.click()
  await expect(box).toHaveValue(run.name)
  await page.getByRole('button', { name: 'Compare', exact: true }).click()
}
