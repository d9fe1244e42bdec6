import { describe, expect, it } from 'vitest'
import { formatCursor, parseCursor } from '../../src/runs/run-cursor.ts'

const position = { createdAt: '2026-11-25T09:00:00.123Z', id: 'AAAAAAAAAAAAAAAAAAAAAA' }

describe('run cursor', () => {
  it('round-trips and is URL-safe', () => {
    const cursor = formatCursor(position)

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(parseCursor(cursor)).toEqual(position)
  })

  it.each([
    ['garbage', '!!!'],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    ['an object', Buffer.from('{"a":1}').toString('base64url')],
    ['a bad date', formatCursor({ ...position, createdAt: 'yesterday' })],
    ['a bad id', formatCursor({ ...position, id: "'; DROP TABLE runs; --" })],
  ])('refuses %s with a 400', (_label, cursor) => {
    expect(() => parseCursor(cursor)).toThrow(expect.objectContaining({ statusCode: 400 }))
  })
})
