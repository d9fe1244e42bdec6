/**
 * The access token a profhub server with AUTH_TOKEN asks for: kept in localStorage (one per
 * server origin, as localStorage is), sent by api.ts as `Authorization: Bearer`, and asked
 * for through whatever prompt the app installed (views/common/TokenPrompt.tsx). No React here.
 */

const STORAGE_KEY = 'profhub.accessToken'

export function readToken(): string | null {
  try {
    const token = localStorage.getItem(STORAGE_KEY)
    return token === null || token === '' ? null : token
  } catch {
    return null // storage disabled: ask again each time
  }
}

export function saveToken(token: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, token)
  } catch {
    // Storage disabled: the token is lost with the page, and asked for again.
  }
  current = token
}

/** Set when storage is unavailable, so that a token entered still serves this page. */
let current: string | null = null

export function currentToken(): string | null {
  return readToken() ?? current
}

export interface TokenRequest {
  /** A token was sent and refused (wrong or revoked), rather than none sent. */
  refused: boolean
}

/** Shows the prompt; resolves to the token entered, or null when the person cancels. */
export type TokenPrompt = (request: TokenRequest) => Promise<string | null>

let prompt: TokenPrompt | null = null
let pending: Promise<string | null> | null = null

export function setTokenPrompt(next: TokenPrompt | null): void {
  prompt = next
}

/**
 * Asks for a token once for every call refused at the same time: the calls that arrive while
 * the prompt is open wait for its answer. A token entered is saved before the callers retry.
 */
export function requestToken(request: TokenRequest): Promise<string | null> {
  if (prompt === null) return Promise.resolve(null)
  pending ??= prompt(request).then((token) => {
    pending = null
    const entered = token?.trim() ?? ''
    if (entered === '') return null
    saveToken(entered)
    return entered
  })
  return pending
}
