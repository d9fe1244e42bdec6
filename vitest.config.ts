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
    // @fastify/autoload import()s our .ts plugins and routes; inlined, Vitest transforms them.
    server: { deps: { inline: ['@fastify/autoload'] } },
    env: { TZ: 'UTC', LC_ALL: 'C' },
  },
})
