import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { ProfileDocument } from '@profhub/profile'
import { findProfileDocumentProblem } from '../../converter/check-profile-document.ts'
import { ProfileTooLargeError, runShim, ShimUnavailableError } from '../../converter/run-shim.ts'
import { Semaphore } from '../../converter/semaphore.ts'
import { ApiError } from '../../errors.ts'

export interface ConvertedProfile {
  document: ProfileDocument
  /** The document as the shim wrote it: stored as is, so it is not serialized twice. */
  json: string
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Converts a `.prof` file with the Python shim; throws an ApiError for the client's faults. */
    convertProfile(filePath: string): Promise<ConvertedProfile>
    /** Whether the shim answers (cached; a failure is retried after a few seconds). */
    checkShim(): Promise<boolean>
  }
}

const CONVERT_TIMEOUT_MS = 120_000
// Each shim may use up to 2 GB (its own RLIMIT_AS): a burst of big uploads queues here
// rather than exhausting the machine's memory.
const MAX_CONCURRENT_CONVERSIONS = 2
const PROBE_TIMEOUT_MS = 15_000
const PROBE_RETRY_MS = 5_000
// marshal.dumps({}): the smallest stats file there is.
const EMPTY_PROFILE = Buffer.from('{0', 'latin1')

function createConvertProfile(fastify: FastifyInstance) {
  const command = { python: fastify.config.python, shimPath: fastify.config.shimPath }
  const slots = new Semaphore(MAX_CONCURRENT_CONVERSIONS)

  return async function convertProfile(filePath: string): Promise<ConvertedProfile> {
    let outcome
    try {
      outcome = await slots.run(() => runShim(command, filePath, CONVERT_TIMEOUT_MS))
    } catch (error) {
      throw translateShimError(error)
    }
    if (outcome.kind === 'rejected') {
      // The shim's line says what is wrong ("The file is empty."); add what to do instead.
      const reason = /[.!?]$/.test(outcome.reason) ? outcome.reason : `${outcome.reason}.`
      throw new ApiError(
        400,
        `${reason} Upload a .prof file written by cProfile, profile, yappi or pstats (dump_stats).`,
        'Not A Profile',
      )
    }
    // JSON.parse and the check block the event loop (about 60 ms and 20 ms for the 10 MB
    // document of 20k functions); acceptable for now. A worker thread would avoid it.
    let value: unknown
    try {
      value = JSON.parse(outcome.json)
    } catch (error) {
      throw new Error('shim wrote invalid JSON', { cause: error })
    }
    const problem = findProfileDocumentProblem(value)
    if (problem !== null) throw new Error(`shim output rejected: ${problem}`)
    return { document: value as ProfileDocument, json: outcome.json }
  }
}

function translateShimError(error: unknown): unknown {
  if (error instanceof ShimUnavailableError) {
    return new ApiError(
      503,
      'The server cannot convert profiles right now: its Python interpreter cannot be started. ' +
        'Ask whoever runs profhub to check the PYTHON setting.',
      undefined,
      { cause: error },
    )
  }
  if (error instanceof ProfileTooLargeError) {
    return new ApiError(
      413,
      'This profile is too large for the server to convert (too many functions or calls).',
      undefined,
      { cause: error },
    )
  }
  return error
}

function createCheckShim(fastify: FastifyInstance) {
  const command = { python: fastify.config.python, shimPath: fastify.config.shimPath }
  let cached: { ok: Promise<boolean>; at: number } | null = null

  async function probe(): Promise<boolean> {
    const dir = await mkdtemp(path.join(tmpdir(), 'profhub-probe-'))
    try {
      const file = path.join(dir, 'empty.prof')
      await writeFile(file, EMPTY_PROFILE)
      // Converting or rejecting the empty profile both prove that the shim runs.
      await runShim(command, file, PROBE_TIMEOUT_MS)
      return true
    } catch (error) {
      fastify.log.error({ err: error }, 'the pstats shim does not answer')
      return false
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  return {
    async checkShim(): Promise<boolean> {
      const stale = cached !== null && Date.now() - cached.at > PROBE_RETRY_MS
      if (cached === null || (stale && !(await cached.ok))) {
        cached = { ok: probe(), at: Date.now() }
      }
      return cached.ok
    },
    /** Lets a probe still running finish, so that it removes its temp directory. */
    async settle(): Promise<void> {
      await cached?.ok
    },
  }
}

export default fp(
  async (fastify) => {
    const shimProbe = createCheckShim(fastify)
    fastify.decorate('convertProfile', createConvertProfile(fastify))
    fastify.decorate('checkShim', shimProbe.checkShim)
    // Probe once at start, in the background: /api/health reuses the answer.
    void fastify.checkShim()
    fastify.addHook('onClose', () => shimProbe.settle())
  },
  { name: 'pstats-converter', dependencies: ['config'] },
)
