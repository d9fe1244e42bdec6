import { describe, expect, it } from 'vitest'
import { build } from '../../helper.ts'

describe('GET /api/health', () => {
  it('is ok once the store is open and the shim answers', async () => {
    const { app } = await build()
    const response = await app.inject('/api/health')

    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({
      status: 'ok',
      eventLoop: {
        maxDelayMs: expect.any(Number),
        windowSeconds: 60,
        perSecondMs: expect.any(Array),
      },
    })
  })

  it('reports how long the event loop was blocked lately', async () => {
    const { app } = await build()
    // Ready: the watch starts with the app.
    expect((await app.inject('/api/health')).statusCode).toBe(200)
    const blockedMs = 300
    const start = performance.now()
    while (performance.now() - start < blockedMs);
    // The watch samples with a 10 ms timer: the block shows once that timer has run after it.
    await expect
      .poll(async () => (await app.inject('/api/health')).json().eventLoop.maxDelayMs)
      .toBeGreaterThanOrEqual(blockedMs - 20)
  })

  it('is a 503 that names no path when Python cannot run', async () => {
    const { app } = await build({ PYTHON: '/nonexistent/python3' })
    const response = await app.inject('/api/health')

    expect(response.statusCode).toBe(503)
    expect(response.json()).toEqual({ error: 'Service Unavailable', message: expect.any(String) })
    expect(response.body).not.toMatch(/nonexistent/)
  })
})
