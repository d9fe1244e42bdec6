import { describe, expect, it } from 'vitest'
import { formatCursor, parseCursor } from '../../src/runs/run-cursor.ts'

const ID = 'AAAAAAAAAAAAAAAAAAAAAA'
const position = { key: '2026-11-25T09:00:00.123Z', id: ID }
const newest = { sort: 'created', order: 'desc', q: '' } as const

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

describe('run cursor', () => {
  it('round-trips and is URL-safe', () => {
    const cursor = formatCursor(position, newest)

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(parseCursor(cursor, newest)).toEqual(position)
  })

  it.each([
    ['a name', { sort: 'name', order: 'asc', q: 'x' }, '"\u0000 <b>\u202e'],
    ['a total time', { sort: 'totalTime', order: 'desc', q: '' }, 0.125],
  ] as const)('carries %s', (_label, query, key) => {
    expect(parseCursor(formatCursor({ key, id: ID }, query), query)).toEqual({ key, id: ID })
  })

  it('stays short for the longest names', () => {
    const query = { sort: 'name', order: 'asc', q: 'q'.repeat(1000) } as const
    const cursor = formatCursor({ key: '\u0001'.repeat(200), id: ID }, query)
    expect(cursor.length).toBeLessThan(2000)
  })

  it('still reads a cursor from before sorting, for the default listing only', () => {
    const old = encode([position.key, ID])

    expect(parseCursor(old, newest)).toEqual(position)
    expect(() => parseCursor(old, { ...newest, q: 'x' })).toThrow(/another listing/)
  })

  it.each([
    ['another sort', { ...newest, sort: 'name' }],
    ['another order', { ...newest, order: 'asc' }],
    ['another search', { ...newest, q: 'fix' }],
  ] as const)('refuses a cursor made for %s', (_label, query) => {
    expect(() => parseCursor(formatCursor(position, newest), query)).toThrow(
      expect.objectContaining({
        statusCode: 400,
        message: expect.stringMatching(/another listing/),
      }),
    )
  })

  it.each([
    ['garbage', '!!!'],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    ['an object', encode({ a: 1 })],
    ['a bad date', formatCursor({ ...position, key: 'yesterday' }, newest)],
    ['a number for a date', formatCursor({ ...position, key: 5 }, newest)],
    ['a bad id', formatCursor({ ...position, id: "'; DROP TABLE runs; --" }, newest)],
    ['an unknown version', encode([3, 'x', position.key, ID])],
    ['an old cursor with a bad date', encode(['yesterday', ID])],
  ])('refuses %s with a 400', (_label, cursor) => {
    expect(() => parseCursor(cursor, newest)).toThrow(expect.objectContaining({ statusCode: 400 }))
  })

  it('refuses a total time that is not a number', () => {
    const query = { sort: 'totalTime', order: 'desc', q: '' } as const
    expect(() => parseCursor(formatCursor({ key: 'NaN', id: ID }, query), query)).toThrow(
      expect.objectContaining({ statusCode: 400 }),
    )
  })
})
