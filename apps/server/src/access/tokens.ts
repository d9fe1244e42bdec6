import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * Checks `Authorization: Bearer <token>` against the configured tokens. Tokens are compared as
 * SHA-256 digests with timingSafeEqual: digests have one length whatever the token's, so
 * neither a token's bytes nor its length can be learned from how long a refusal takes. Every
 * token is compared (no early exit), so neither can which one matched.
 *
 * Returns which token matched (its index, a key that holds no secret), or null.
 */
export function createTokenMatcher(tokens: readonly string[]) {
  const digests = tokens.map(digest)
  return (authorization: string | undefined): number | null => {
    const presented = parseBearer(authorization)
    if (presented === null) return null
    const candidate = digest(presented)
    let match: number | null = null
    digests.forEach((expected, index) => {
      if (timingSafeEqual(expected, candidate) && match === null) match = index
    })
    return match
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest()
}

/** The token of `Bearer <token>` (the scheme in any case, RFC 9110), or null. */
export function parseBearer(header: string | undefined): string | null {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match ? match[1]! : null
}
