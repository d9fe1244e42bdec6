import { readFileSync } from 'node:fs'
import { fixturePath } from '@profhub/fixtures'
import type { Page } from '@playwright/test'
import { compareWith } from '../compare-with.ts'
import { expect, test } from '../fixtures.ts'
import { startOwnServer, type OwnServer } from '../own-server.ts'

// A server of this file's own, with AUTH_TOKEN set (the suite's shared server has none).
const TOKEN = 'e2e-team-token-4711'
const FIXTURE = 'recursion-py3.11.prof'

// One server for the file: its tests run one after another in one worker.
test.describe.configure({ mode: 'serial' })
// Chromium logs every 401 it receives, which here is the point.
test.use({ allowedConsoleErrors: [/status of 401/] })

let own: OwnServer | undefined
let BASE = ''

test.beforeAll(async () => {
  own = await startOwnServer({ AUTH_TOKEN: TOKEN, LOG_LEVEL: 'warn' })
  BASE = own.base
})

test.afterAll(async () => {
  await own?.stop()
})

/** Uploads a fixture with the token, as `curl -H 'Authorization: Bearer …'` does. */
async function seedRun(name: string): Promise<{ id: string; url: string }> {
  const form = new FormData()
  form.append('file', new Blob([readFileSync(fixturePath(FIXTURE))]), FIXTURE)
  form.append('name', name)
  const response = await fetch(`${BASE}/api/runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}` },
    body: form,
  })
  expect(response.status, await response.clone().text()).toBe(201)
  return (await response.json()) as { id: string; url: string }
}

function tokenDialog(page: Page) {
  return page.getByRole('dialog', { name: 'Access token' })
}

async function enterToken(page: Page, token: string) {
  const dialog = tokenDialog(page)
  await dialog.getByLabel('Access token').fill(token)
  await dialog.getByRole('button', { name: 'Save' }).click()
}

test('the run list asks for the token, says when it is wrong, and remembers it', async ({
  page,
}) => {
  await seedRun('listed with a token')
  await page.goto(`${BASE}/`)

  // The prompt instead of an error.
  await expect(tokenDialog(page)).toBeVisible()
  await expect(tokenDialog(page).getByLabel('Access token')).toHaveAttribute('type', 'password')
  await expect(page.getByText('Could not load the runs')).toHaveCount(0)

  await enterToken(page, 'not-the-token')
  await expect(tokenDialog(page).getByRole('alert')).toContainText('did not accept')

  await enterToken(page, TOKEN)
  await expect(tokenDialog(page)).toHaveCount(0)
  await expect(page.getByText('listed with a token')).toBeVisible()
  expect(await page.evaluate(() => localStorage.getItem('profhub.accessToken'))).toBe(TOKEN)

  // Remembered: a new visit lists at once.
  await page.reload()
  await expect(page.getByText('listed with a token')).toBeVisible()
  await expect(tokenDialog(page)).toHaveCount(0)
})

test('cancelling leaves an error that can ask again', async ({ page }) => {
  await page.goto(`${BASE}/`)
  await tokenDialog(page).getByRole('button', { name: 'Cancel' }).click()
  await expect(page.getByRole('alert')).toContainText('This server needs an access token')
  await page.getByRole('button', { name: 'Enter access token' }).click()
  await enterToken(page, TOKEN)
  await expect(page.getByRole('heading', { name: 'Runs', level: 1 })).toBeVisible()
  await expect(page.getByRole('alert')).toHaveCount(0)
})

test('an upload refused for want of a token asks for it and is sent again', async ({ page }) => {
  await page.goto(`${BASE}/`)
  await tokenDialog(page).getByRole('button', { name: 'Cancel' }).click()

  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Upload profile' }).click()
  await (await chooser).setFiles(fixturePath(FIXTURE))
  await enterToken(page, TOKEN)

  await expect(page).toHaveURL(/\/runs\/[A-Za-z0-9_-]{22}$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(FIXTURE)
})

test('a run link opens without a token; renaming asks for it', async ({ page }) => {
  const run = await seedRun('shared by link')
  await page.goto(`${BASE}${run.url}`)

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('shared by link')
  await expect(page.getByRole('tab', { name: 'Table' })).toBeVisible()
  await page.getByRole('tab', { name: 'Table' }).click()
  await expect(page.getByRole('table')).toBeVisible()
  await expect(tokenDialog(page)).toHaveCount(0)

  await page.getByRole('button', { name: 'Rename' }).click()
  await page.getByLabel('Run name').fill('renamed with a token')
  await page.getByRole('button', { name: 'Save' }).click()
  await enterToken(page, TOKEN)

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('renamed with a token')
  const stored = (await (await fetch(`${BASE}/api/runs/${run.id}`)).json()) as { name: string }
  expect(stored.name).toBe('renamed with a token')
})

test('on a run opened by its link, "Compare with" asks for the token to list the runs', async ({
  page,
}) => {
  const other = await seedRun('the other run')
  const run = await seedRun('opened by link')
  await page.goto(`${BASE}${run.url}`)

  const combobox = page.getByRole('combobox', { name: 'Compare with' })
  await expect(combobox).toHaveAttribute('placeholder', 'Listing runs needs the access token')
  await expect(tokenDialog(page)).toHaveCount(0)
  await page.getByRole('button', { name: 'Enter access token' }).click()
  await enterToken(page, TOKEN)

  await compareWith(page, { id: other.id, name: 'the other run' }, 'other')
  await expect(page).toHaveURL(new RegExp(`/compare/${run.id}/${other.id}`))
})
