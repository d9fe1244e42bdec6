import { randomBytes } from 'node:crypto'

// 16 random bytes as base64url: 22 characters, 128 bits (RunIdSchema in @profhub/api).
const RUN_ID = /^[A-Za-z0-9_-]{22}$/

export function createRunId(): string {
  return randomBytes(16).toString('base64url')
}

/** Anything else is answered with a 404 before a store sees it. */
export function isRunId(value: string): boolean {
  return RUN_ID.test(value)
}
