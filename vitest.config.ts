import { defineConfig } from 'vitest/config'

// The server's API-level tests, run once more on each backend a team can deploy: they build
// the app through test/helper.ts, which stores runs where PROFHUB_TEST_STORE says.
const SERVER_API_TESTS = [
  'apps/server/test/app.test.ts',
  'apps/server/test/routes/**/*.test.ts',
  'apps/server/test/plugins/**/*.test.ts',
]
const POSTGRES = 'apps/server/test/services/postgres-global-setup.ts'
const S3 = 'apps/server/test/services/s3-global-setup.ts'

export default defineConfig({
  test: {
    // Generous: the suite must pass on a loaded two-core machine, where a shim run or a
    // server start can take many times its usual time. Tests wait for conditions, not clocks.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    expect: { poll: { timeout: 60_000, interval: 50 } },
    env: { TZ: 'UTC', LC_ALL: 'C' },
    projects: [
      {
        extends: true,
        test: {
          name: 'all',
          include: [
            'packages/*/src/**/*.test.ts',
            'apps/*/src/**/*.test.{ts,tsx}',
            'apps/*/test/**/*.test.ts',
            'fixtures/**/*.test.ts',
          ],
          // The embedded store (SQLite + files), the default deployment.
          env: { PROFHUB_TEST_STORE: 'sqlite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'server on postgres',
          include: SERVER_API_TESTS,
          globalSetup: [POSTGRES],
          env: { PROFHUB_TEST_STORE: 'postgres' },
        },
      },
      {
        extends: true,
        test: {
          name: 'server on postgres + s3',
          include: SERVER_API_TESTS,
          globalSetup: [POSTGRES, S3],
          env: { PROFHUB_TEST_STORE: 'postgres+s3' },
        },
      },
    ],
  },
})
