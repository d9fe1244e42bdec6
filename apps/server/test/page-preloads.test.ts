import { describe, expect, it } from 'vitest'
import { profilePreloads } from '../src/page-preloads.ts'

const A = 'AAAAAAAAAAAAAAAAAAAAAA'
const B = 'B_-BBBBBBBBBBBBBBBBBBB'
const preload = (url: string) => `<${url}>; rel=preload; as=fetch; crossorigin`
const link = (id: string) => `${preload(`/api/runs/${id}`)}, ${preload(`/api/runs/${id}/profile`)}`
const tree = (id: string) => preload(`/api/runs/${id}/tree`)

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
