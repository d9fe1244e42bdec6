import { afterAll, expect, it } from 'vitest'
import {
  createDatabase,
  dropDatabase,
  stopOwnPostgres,
  testPool,
  testPostgresUrl,
} from './postgres.ts'

afterAll(stopOwnPostgres)

it('a test pool outlives its database being dropped under it (57P01 on an idle connection)', async () => {
  const url = await createDatabase(await testPostgresUrl())
  const pool = testPool(url)
  try {
    await pool.query('SELECT 1')
    expect(pool.idleCount).toBe(1)
    // WITH (FORCE) ends the idle connection; unhandled, its 'error' event ends the process.
    await dropDatabase(url)
    await expect.poll(() => pool.idleCount).toBe(0)
  } finally {
    await pool.end()
  }
})
