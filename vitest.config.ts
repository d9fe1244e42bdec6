import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'apps/web/src/**/*.test.{ts,tsx}',
      'apps/server/test/**/*.test.ts',
      'fixtures/**/*.test.ts',
    ],
    testTimeout: 30_000,
    env: { TZ: 'UTC', LC_ALL: 'C' },
  },
})
