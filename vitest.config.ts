import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'apps/*/src/**/*.test.{ts,tsx}',
      'apps/*/test/**/*.test.ts',
      'fixtures/**/*.test.ts',
    ],
    // Generous: the suite must pass on a loaded two-core machine, where a shim run or a
    // server start can take many times its usual time. Tests wait for conditions, not clocks.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    expect: { poll: { timeout: 60_000, interval: 50 } },
    env: { TZ: 'UTC', LC_ALL: 'C' },
  },
})
