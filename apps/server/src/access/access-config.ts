import { readFileSync } from 'node:fs'
import path from 'node:path'

type Env = Record<string, string | undefined>

/** Names a loopback server always answers to (the port is not part of the name). */
export const LOOPBACK_HOST_NAMES = ['localhost', '127.0.0.1', '::1'] as const

/** Addresses that mean "every interface": not a name anyone reaches the server by. */
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '[::]', ''])

/**
 * The bearer tokens: `AUTH_TOKEN` (one, or several separated by commas or white space) and
 * the lines of `AUTH_TOKEN_FILE` (one token a line; `#` starts a comment). Both may be set.
 * A variable that is set but names no token stops the start: running open by mistake (an
 * empty secrets file) is worse than not running.
 */
export function parseTokens(env: Env, baseDir: string): string[] {
  const tokens: string[] = []
  if (env.AUTH_TOKEN !== undefined && env.AUTH_TOKEN !== '') {
    const fromEnv = splitTokens(env.AUTH_TOKEN)
    if (fromEnv.length === 0) throw new Error('AUTH_TOKEN is set but holds no token')
    tokens.push(...fromEnv)
  }
  if (env.AUTH_TOKEN_FILE !== undefined && env.AUTH_TOKEN_FILE !== '') {
    const file = path.resolve(baseDir, env.AUTH_TOKEN_FILE)
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable'
      throw new Error(`AUTH_TOKEN_FILE ${file} cannot be read (${code})`)
    }
    const fromFile = parseTokenFile(text)
    if (fromFile.length === 0) throw new Error(`AUTH_TOKEN_FILE ${file} holds no token`)
    tokens.push(...fromFile)
  }
  for (const token of tokens) {
    // What a client can send in `Authorization: Bearer …` without quoting or encoding.
    if (!/^[\x21-\x7e]+$/.test(token)) {
      throw new Error(
        'AUTH_TOKEN and AUTH_TOKEN_FILE tokens may hold only printable ASCII characters without spaces',
      )
    }
  }
  return [...new Set(tokens)]
}

function splitTokens(text: string): string[] {
  return text.split(/[\s,]+/).filter((token) => token !== '')
}

/** One token a line; a line's `#` (at its start or after white space) begins a comment. */
export function parseTokenFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '')
}

export interface HostRules {
  /** `ALLOWED_HOSTS=*`: every name is answered (a proxy in front checks names). */
  any: boolean
  /** The names answered: loopback, the listening address, and `listed`. */
  names: string[]
  /** The names `ALLOWED_HOSTS` lists: a browser page on one of them may also change things. */
  listed: string[]
}

/**
 * The host names the server answers to: the loopback names, the address it listens on when
 * that is one address (not 0.0.0.0 or ::), and `ALLOWED_HOSTS` (comma separated names, no
 * port). `*` in ALLOWED_HOSTS answers every name.
 */
export function parseAllowedHosts(env: Env): HostRules {
  const entries = (env.ALLOWED_HOSTS ?? '')
    .split(/[\s,]+/)
    .filter((entry) => entry !== '')
    .map(normalizeHostName)
  const listed = entries.filter((entry) => entry !== '*')
  const host = normalizeHostName(env.HOST || '127.0.0.1')
  const names = new Set<string>(LOOPBACK_HOST_NAMES)
  if (!WILDCARD_ADDRESSES.has(host)) names.add(host)
  for (const name of listed) names.add(name)
  return { any: entries.includes('*'), names: [...names], listed }
}

/** `Example.COM.` → `example.com`; `[::1]` → `::1`. */
export function normalizeHostName(name: string): string {
  let result = name.trim().toLowerCase()
  if (result.startsWith('[') && result.endsWith(']')) result = result.slice(1, -1)
  if (result.endsWith('.')) result = result.slice(0, -1)
  return result
}

/** True for 0.0.0.0, :: and the like: every interface, reachable from the network. */
export function isWildcardAddress(host: string): boolean {
  return WILDCARD_ADDRESSES.has(normalizeHostName(host))
}

export function parseUploadRateLimit(env: Env): number {
  const value = env.UPLOAD_RATE_LIMIT
  if (value === undefined || value === '') return 60
  const number = Number(value)
  if (!Number.isInteger(number) || number < 0) {
    throw new Error(
      `UPLOAD_RATE_LIMIT must be a whole number of uploads per minute (0: no limit), got "${value}"`,
    )
  }
  return number
}
