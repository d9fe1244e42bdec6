/**
 * Which requests profhub answers, as pure functions of the request's method, route and headers
 * (the plugin in plugins/app/access.ts applies them).
 */

import { type HostRules, normalizeHostName } from './access-config.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** True for methods that change something (POST, PATCH, DELETE, PUT, …). */
export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase())
}

/**
 * Whether a request needs the token when tokens are configured. `route` is the matched route's
 * pattern (`/api/runs/:id/stats`), undefined when no route matched (a 404, or a page of the
 * web app): by the pattern, so that `/api/%72uns` or `/api//runs` cannot slip past a string
 * test on the URL.
 *
 * Open: everything that reads one run (its id is the permission: `/api/runs/:id…`), the pages
 * and static files, `/api/health`, `/api/docs…`. Everything else under /api/ (the run list and
 * any other listing added later) and every state-changing method needs the token: a new
 * endpoint is closed until it is listed here.
 */
export function needsToken(method: string, route: string | undefined): boolean {
  if (isStateChanging(method)) return true
  if (route === undefined || !route.startsWith('/api/')) return false
  if (route === '/api/health' || route === '/api/docs' || route.startsWith('/api/docs/')) {
    return false
  }
  return !route.startsWith('/api/runs/:id')
}

/**
 * The name part of a Host header: `example.com:8080` → `example.com`, `[::1]:80` → `::1`.
 * Null for a missing or malformed header.
 */
export function hostNameOf(hostHeader: string | undefined): string | null {
  if (hostHeader === undefined || hostHeader === '') return null
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s/@]+)(?::(\d{1,5}))?$/.exec(hostHeader)
  if (match === null) return null
  return normalizeHostName(match[1]!)
}

export function isAllowedHost(rules: HostRules, hostHeader: string | undefined): boolean {
  const name = hostNameOf(hostHeader)
  if (name === null) return false
  return rules.any || rules.names.includes(name)
}

/**
 * Whether a state-changing request's `Origin` is the server's own: its `host[:port]` is the Host
 * header's (http or https: behind a TLS proxy the browser's scheme is not ours), or its name is
 * one listed in ALLOWED_HOSTS (a proxy that rewrites Host to its upstream address). No Origin
 * at all (curl, scripts, the CLI) is allowed: browsers send one on every cross-origin POST.
 */
export function isAllowedOrigin(
  origin: string | undefined,
  hostHeader: string | undefined,
  listedHosts: readonly string[],
): boolean {
  if (origin === undefined) return true
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false // `null` (sandboxed frames, file:) and garbage
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false
  if (hostHeader !== undefined) {
    try {
      // Parsed as the Origin's scheme, so that default ports compare equal (`host:80` = `host`).
      if (new URL(`${url.protocol}//${hostHeader}`).host === url.host) return true
    } catch {
      return false
    }
  }
  return listedHosts.includes(normalizeHostName(url.hostname))
}
