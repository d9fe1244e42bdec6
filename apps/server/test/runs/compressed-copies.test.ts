import { describe, expect, it } from 'vitest'
import { acceptsBrotli } from '../../src/runs/compressed-copies.ts'

describe('acceptsBrotli', () => {
  it.each([
    ['br', true],
    ['gzip, deflate, br, zstd', true],
    ['BR;q=0.5', true],
    ['gzip', false],
    ['br;q=0', false],
    ['br;q=0.0, gzip', false],
    ['brotli', false],
    ['', false],
    [undefined, false],
  ])('%j → %s', (header, accepted) => {
    expect(acceptsBrotli(header)).toBe(accepted)
  })
})
