import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts'

const port = Number(process.env.E2E_PORT ?? 43117)
export const baseURL = `http://127.0.0.1:${port}`

// One empty store per test run; workers inherit the variable, so they agree on it.
process.env.E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'profhub-e2e-'))

export default defineConfig({
  testDir: './tests',
  // Generous limits: the suite must pass on a loaded two-core machine, where one step can take
  // many times its usual time. Tests wait for conditions (expect retries), never for clocks.
  timeout: 180_000,
  expect: { timeout: 30_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    trace: 'on-first-retry',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    // The compiled server, as users run it (`pnpm e2e` builds it first).
    command: 'node ../apps/server/dist/server.js',
    url: `${baseURL}/api/health`,
    env: {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: process.env.E2E_DATA_DIR,
      LOG_LEVEL: 'warn',
      // The suite uploads far more than a person does, all from one address.
      UPLOAD_RATE_LIMIT: '0',
    },
    reuseExistingServer: false,
    timeout: 180_000,
  },
})
