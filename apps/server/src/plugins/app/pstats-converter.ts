import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { ConvertedProfile, ShimInput } from '../../converter/converted-profile.ts'
import {
  MAX_OUTPUT_BYTES,
  OUTPUT_TOO_LARGE,
  ProfileTooLargeError,
  runExportShim,
  runShim,
  type ShimCommand,
  ShimUnavailableError,
  type ShimExportFormat,
} from '../../converter/run-shim.ts'
import { Semaphore } from '../../semaphore.ts'
import { ApiError, quoteFileName } from '../../errors.ts'
import { unexpectedAnswer } from '../../converter/profile-workers.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Converts a `.prof` file with the Python shim; throws an ApiError for the client's faults. */
    convertProfile(filePath: string): Promise<ConvertedProfile>
    /**
     * Converts several `.prof` files merged into one profile as `pstats.Stats(a).add(b, …)`
     * does (the shim's `--merge`); a rejection names the file (`fileName`) at fault.
     */
    convertMergedProfiles(files: readonly ShimInput[]): Promise<ConvertedProfile>
    /**
     * Writes a run's stats to `outputPath` with the shim (`export_stats.py`): as a pstats file
     * (`prof`) or as pstats' printed report (`pstats`). `inputs` are the run's uploaded files
     * in upload order (several: merged as when the run was made). Waits for a conversion slot.
     */
    exportStats(
      inputs: readonly string[],
      format: ShimExportFormat,
      outputPath: string,
    ): Promise<void>
    /** Whether the shim answers (cached; a failure is retried after a few seconds). */
    checkShim(): Promise<boolean>
  }
}

// Each shim may use up to 2 GB (its own RLIMIT_AS): a burst of big uploads queues here
// rather than exhausting the machine's memory.
const MAX_CONCURRENT_CONVERSIONS = 2
const PROBE_TIMEOUT_MS = 15_000
const PROBE_RETRY_MS = 5_000
// marshal.dumps({}): the smallest stats file there is.
const EMPTY_PROFILE = Buffer.from('{0', 'latin1')
const WHAT_TO_UPLOAD =
  'Upload a .prof file written by cProfile, profile, yappi or pstats (dump_stats).'
// The shim's merge messages: "file 2 of 3: <what is wrong with it>", "file 2 of 3 cannot be
// merged …", or about the merged whole.
const MERGE_INPUT = /^file (\d+) of \d+(: )?/

/** How the shim is run: the interpreter, the script and the limits of `shim/limits.py`. */
function shimCommand({ config }: FastifyInstance): ShimCommand {
  return {
    python: config.python,
    shimPath: config.shimPath,
    env: {
      PROFHUB_MAX_FUNCTIONS: String(config.maxFunctions),
      PROFHUB_MAX_EDGES: String(config.maxEdges),
    },
  }
}

function createConverter(fastify: FastifyInstance) {
  const command = shimCommand(fastify)
  const slots = new Semaphore(MAX_CONCURRENT_CONVERSIONS)

  async function convert(
    input: string | readonly string[],
    describeRefusal: DescribeRefusal,
  ): Promise<ConvertedProfile> {
    await mkdir(fastify.config.uploadDir, { recursive: true })
    const jsonPath = path.join(fastify.config.uploadDir, `${randomBytes(12).toString('hex')}.json`)
    try {
      return { ...(await convertTo(input, jsonPath, describeRefusal)), jsonPath }
    } catch (error) {
      await rm(jsonPath, { force: true })
      throw error
    }
  }

  async function convertTo(
    input: string | readonly string[],
    jsonPath: string,
    describeRefusal: DescribeRefusal,
  ): Promise<Omit<ConvertedProfile, 'jsonPath'>> {
    let outcome
    const started = performance.now()
    try {
      outcome = await slots.run(() =>
        runShim(command, input, fastify.config.convertTimeoutMs, jsonPath),
      )
      if (outcome.kind === 'converted' && (await outputSize(jsonPath)) > MAX_OUTPUT_BYTES) {
        throw new ProfileTooLargeError('shim: output over the limit', OUTPUT_TOO_LARGE)
      }
    } catch (error) {
      if (error instanceof ProfileTooLargeError) {
        throw describeRefusal(error.reason, 413, error)
      }
      throw translateShimError(error)
    }
    if (outcome.kind === 'rejected') {
      throw describeRefusal(sentence(outcome.reason), 400)
    }
    // Parsed and checked in a worker thread: 0.2 s and more for a 100k-function profile's
    // 22 MB, which would block every other request on the event loop.
    const converted = performance.now()
    const answer = await fastify.profileWorkers.run({ kind: 'check', path: jsonPath })
    fastify.log.debug(
      {
        shimMs: Math.round(converted - started),
        checkMs: Math.round(performance.now() - converted),
      },
      'profile converted',
    )
    switch (answer.kind) {
      case 'checked':
        return { meta: answer.meta, series: answer.series }
      case 'invalid-json':
        throw new Error(`shim wrote invalid JSON: ${answer.message}`)
      case 'invalid':
        throw new Error(`shim output rejected: ${answer.problem}`)
      default:
        throw unexpectedAnswer(answer)
    }
  }

  return {
    convertProfile(filePath: string): Promise<ConvertedProfile> {
      // The shim's line says what is wrong ("The file is empty."); add what to do instead.
      return convert(filePath, (reason, status, cause) =>
        status === 413
          ? tooLarge(reason, cause)
          : new ApiError(400, `${reason} ${WHAT_TO_UPLOAD}`, 'Not A Profile'),
      )
    },
    async exportStats(
      inputs: readonly string[],
      format: ShimExportFormat,
      outputPath: string,
    ): Promise<void> {
      try {
        // The same slots as uploads: an export reads and holds the whole profile too.
        await slots.run(() =>
          runExportShim(command, format, inputs, outputPath, fastify.config.convertTimeoutMs),
        )
      } catch (error) {
        await rm(outputPath, { force: true })
        throw translateShimError(error)
      }
    },
    convertMergedProfiles(files: readonly ShimInput[]): Promise<ConvertedProfile> {
      if (files.length < 2) throw new Error('a merge needs at least two files')
      return convert(
        files.map((file) => file.path),
        (reason, status, cause) => {
          const match = MERGE_INPUT.exec(reason)
          const file = match && files[Number(match[1]) - 1]
          if (!match || !file) {
            return status === 413
              ? tooLarge(reason, cause)
              : new ApiError(400, reason, 'Cannot Merge')
          }
          const rest = reason.slice(match[0].length)
          const name = quoteFileName(file.fileName)
          if (status === 413) return tooLarge(`${name}: ${rest}`, cause)
          // "file 2 of 3: <reason>" is about the file; "file 2 of 3 cannot be merged…" is not.
          return match[2]
            ? new ApiError(400, `${name}: ${rest} ${WHAT_TO_UPLOAD}`, 'Not A Profile')
            : new ApiError(400, `${name}${rest}`, 'Cannot Merge')
        },
      )
    },
  }
}

/** The client's error for a refusal: 400 (not a profile) or 413 (over a limit). */
type DescribeRefusal = (reason: string, status: 400 | 413, cause?: unknown) => ApiError

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`
}

/** A 413 whose message says which limit the profile is over. */
function tooLarge(message: string, cause?: unknown): ApiError {
  return new ApiError(413, message, 'Payload Too Large', { cause })
}

/** The size of the shim's output file; an exit 0 without one is invalid output (a 500). */
async function outputSize(jsonPath: string): Promise<number> {
  try {
    return (await stat(jsonPath)).size
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    throw new Error('shim wrote invalid JSON: it exited 0 without writing its output file', {
      cause: error,
    })
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
    return tooLarge(error.reason, error)
  }
  return error
}

function createCheckShim(fastify: FastifyInstance) {
  const command = shimCommand(fastify)
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
    const converter = createConverter(fastify)
    fastify.decorate('convertProfile', converter.convertProfile)
    fastify.decorate('convertMergedProfiles', converter.convertMergedProfiles)
    fastify.decorate('exportStats', converter.exportStats)
    fastify.decorate('checkShim', shimProbe.checkShim)
    // Probe once at start, in the background: /api/health reuses the answer.
    void fastify.checkShim()
    fastify.addHook('onClose', () => shimProbe.settle())
  },
  { name: 'pstats-converter', dependencies: ['config', 'profile-workers'] },
)
