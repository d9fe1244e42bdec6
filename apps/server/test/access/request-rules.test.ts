import { describe, expect, it } from 'vitest'
import { parseAllowedHosts, parseTokenFile } from '../../src/access/access-config.ts'
import { hostNameOf, isAllowedOrigin, needsToken } from '../../src/access/request-rules.ts'
import { createTokenMatcher, parseBearer } from '../../src/access/tokens.ts'

describe('tokens', () => {
  it('reads a token file: one a line, # comments, blank lines', () => {
    expect(parseTokenFile('# team\r\nabc # alice\n\n  d#e  \n#old\n')).toEqual(['abc', 'd#e'])
  })

  it('matches a bearer token and says which', () => {
    const match = createTokenMatcher(['first', 'second'])
    expect(match('Bearer second')).toBe(1)
    expect(match('BEARER first ')).toBe(0)
    expect(match('Bearer secon')).toBeNull()
    expect(match('Bearer first second')).toBeNull()
    expect(match(undefined)).toBeNull()
    expect(parseBearer('Basic abc')).toBeNull()
  })
})

describe('which requests need the token', () => {
  it.each([
    ['POST', '/api/runs', true],
    ['PATCH', '/api/runs/:id', true],
    ['DELETE', '/api/runs/:id', true],
    ['PUT', undefined, true],
    ['GET', '/api/runs', true],
    ['GET', '/api/runs/', true],
    ['GET', '/api/series', true],
    ['GET', '/api/runs/:id', false],
    ['HEAD', '/api/runs/:id/export/:format', false],
    ['GET', '/api/health', false],
    ['GET', '/api/docs/json', false],
    ['GET', '/profhub.py', false],
    ['GET', undefined, false],
  ] as const)('%s %s: %s', (method, route, expected) => {
    expect(needsToken(method, route)).toBe(expected)
  })
})

describe('host names and origins', () => {
  it('takes the name out of a Host header', () => {
    expect(hostNameOf('Example.COM:8080')).toBe('example.com')
    expect(hostNameOf('[::1]:80')).toBe('::1')
    expect(hostNameOf('user@evil.example')).toBeNull()
    expect(hostNameOf('a b')).toBeNull()
    expect(hostNameOf(undefined)).toBeNull()
  })

  it('lists loopback, a specific HOST and ALLOWED_HOSTS', () => {
    expect(parseAllowedHosts({ HOST: '0.0.0.0', ALLOWED_HOSTS: 'A.example., b.example' })).toEqual({
      any: false,
      names: ['localhost', '127.0.0.1', '::1', 'a.example', 'b.example'],
      listed: ['a.example', 'b.example'],
    })
    expect(parseAllowedHosts({ HOST: '192.168.1.5', ALLOWED_HOSTS: '*' })).toMatchObject({
      any: true,
      names: ['localhost', '127.0.0.1', '::1', '192.168.1.5'],
    })
  })

  it("accepts only the server's own origin", () => {
    expect(isAllowedOrigin(undefined, 'localhost:8080', [])).toBe(true)
    expect(isAllowedOrigin('http://localhost:8080', 'localhost:8080', [])).toBe(true)
    expect(isAllowedOrigin('http://localhost', 'localhost:80', [])).toBe(true)
    expect(isAllowedOrigin('https://team.example', 'team.example:443', [])).toBe(true)
    expect(isAllowedOrigin('http://localhost:8081', 'localhost:8080', [])).toBe(false)
    expect(isAllowedOrigin('http://evil.example', 'localhost:8080', [])).toBe(false)
    expect(isAllowedOrigin('null', 'localhost:8080', [])).toBe(false)
    expect(isAllowedOrigin('file://', 'localhost:8080', [])).toBe(false)
    expect(isAllowedOrigin('https://team.example', '127.0.0.1:8080', ['team.example'])).toBe(true)
  })
})
