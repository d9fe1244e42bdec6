import { describe, expect, it } from 'vitest'
import { profilePreloads } from '../src/page-preloads.ts'

const A = 'AAAAAAAAAAAAAAAAAAAAAA'
const B = 'B_-BBBBBBBBBBBBBBBBBBB'
const link = (id: string) => `</api/runs/${id}/profile>; rel=preload; as=fetch; crossorigin`
const tree = (id: string) => `</api/runs/${id}/tree>; rel=preload; as=fetch; crossorigin`

describe('profilePreloads', () => {
  it.each([
    [`/runs/${A}`, `${link(A)}, ${tree(A)}`],
    [`/runs/${A}/`, `${link(A)}, ${tree(A)}`],
    [`/compare/${A}/${B}`, `${link(A)}, ${link(B)}`],
    ['/', null],
    ['/runs', null],
    ['/runs/not-a-run-id', null],
    [`/runs/${A}/extra`, null],
    [`/compare/${A}/<script>`, null],
    [`/runs/${A}%3E;rel=x`, null],
  ])('%s → %s', (pathname, expected) => {
    expect(profilePreloads(pathname)).toBe(expected)
  })
})
