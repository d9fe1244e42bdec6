import { describe, expect, it } from 'vitest'
import { build } from '../../helper.ts'

describe('GET /api/health', () => {
  it('is ok once the store is open and the shim answers', async () => {
    const { app } = await build()
    const response = await app.inject('/api/health')

    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ status: 'ok' })
  })

  it('is a 503 that names no path when Python cannot run', async () => {
    const { app } = await build({ PYTHON: '/nonexistent/python3' })
    const response = await app.inject('/api/health')

    expect(response.statusCode).toBe(503)
    expect(response.json()).toEqual({ error: 'Service Unavailable', message: expect.any(String) })
    expect(response.body).not.toMatch(/nonexistent/)
  })
})
