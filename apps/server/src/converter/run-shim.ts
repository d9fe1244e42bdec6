import type { ExecFileException } from 'node:child_process'
import path from 'node:path'
import { launcher, type LaunchResult } from './launcher-client.ts'

export interface ShimCommand {
  python: string
  shimPath: string
  /** Added to the shim's environment (the limits of `shim/limits.py`). */
  env?: Record<string, string>
}

export type ShimOutcome =
  /**
   * Exit 0: `json` is the ProfileDocument text, not yet checked ('' when `outputPath` was
   * given: the document is in that file).
   */
  | { kind: 'converted'; json: string }
  /** Exit 2: the file is not a profile; `reason` is the shim's one plain-English line. */
  | { kind: 'rejected'; reason: string }

/** The shim's environment: ours and the command's limits (the launcher adds its own pid). */
function shimEnv(command: ShimCommand): NodeJS.ProcessEnv {
  return { ...process.env, ...command.env }
}

/** The interpreter could not be started at all (missing, not executable). */
export class ShimUnavailableError extends Error {}

/**
 * The profile is too big to convert: over one of the shim's limits or out of memory (exit 3),
 * out of time, or out of output room. `reason` says which, for the person who uploaded it.
 */
export class ProfileTooLargeError extends Error {
  constructor(
    message: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

// A 100k-function profile converts to about 50 MB of JSON; leave room above that.
export const MAX_OUTPUT_BYTES = 256 * 1024 * 1024
const TOO_LARGE = 'This profile is too large for the server to convert.'
export const OUTPUT_TOO_LARGE = `The converted profile would be larger than the server's limit (${
  MAX_OUTPUT_BYTES / 1024 / 1024
} MB).`
// A merge conflict names two functions (each cut at 100 characters by the shim).
const MAX_REASON_LENGTH = 600

/**
 * Runs `python shim input` (or `python shim --merge input…` for several) with no shell (the
 * paths are ours, but the interpreter comes from the environment). SIGKILL on timeout: a shim
 * stuck in a hostile file must not linger.
 */
export function runShim(
  command: ShimCommand,
  input: string | readonly string[],
  timeoutMs: number,
  /** Where the shim writes the document (`--output`) instead of stdout. */
  outputPath?: string,
): Promise<ShimOutcome> {
  const inputs = typeof input === 'string' ? [input] : input
  const output = outputPath === undefined ? [] : ['--output', outputPath]
  return launcher
    .run(
      command.python,
      // -I (isolated): no PYTHONPATH, user site-packages or startup file can change what runs.
      ['-I', command.shimPath, ...output, ...(inputs.length > 1 ? ['--merge', ...inputs] : inputs)],
      {
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: MAX_OUTPUT_BYTES,
        env: shimEnv(command),
      },
    )
    .then(({ error, stdout, stderr }: LaunchResult): ShimOutcome => {
      if (!error) return { kind: 'converted', json: stdout }
      if (error.code === 2) return { kind: 'rejected', reason: formatReason(stderr) }
      throw describeFailure(command, error, stderr, timeoutMs)
    })
}

/** What `shim/export_stats.py` writes (see its doc). */
export type ShimExportFormat = 'prof' | 'pstats'

/**
 * Runs `python export_stats.py --format F --output PATH input…` (several inputs: a merged run)
 * the same way: no shell, SIGKILL on timeout. Resolves once the file is written; an exit 3 is a
 * ProfileTooLargeError, anything else but 0 an Error (the inputs are a stored run's, already
 * accepted once: a refusal now is a bug, not the client's fault).
 */
export async function runExportShim(
  command: ShimCommand,
  format: ShimExportFormat,
  inputs: readonly string[],
  outputPath: string,
  timeoutMs: number,
): Promise<void> {
  const script = path.join(path.dirname(command.shimPath), 'export_stats.py')
  const { error, stderr } = await launcher.run(
    command.python,
    ['-I', script, '--format', format, '--output', outputPath, ...inputs],
    { timeout: timeoutMs, killSignal: 'SIGKILL', env: shimEnv(command) },
  )
  if (error) throw describeFailure(command, error, stderr, timeoutMs)
}

function describeFailure(
  command: ShimCommand,
  error: ExecFileException,
  stderr: string,
  timeoutMs: number,
): Error {
  if (error.code === 'ENOENT' || error.code === 'EACCES') {
    return new ShimUnavailableError(`cannot run ${command.python}: ${error.code}`, { cause: error })
  }
  if (error.code === 3) {
    return new ProfileTooLargeError(
      'shim: over a limit (exit 3)',
      formatReason(stderr, TOO_LARGE),
      {
        cause: error,
      },
    )
  }
  if (error.code === 4) {
    // The disk (or quota) filled up under the output file: `code` as a failed write of ours
    // would have it, so that the upload answers 507 like any other full disk.
    return Object.assign(new Error(`shim: no space for the output: ${formatReason(stderr)}`), {
      cause: error,
      code: 'ENOSPC',
    })
  }
  if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
    return new ProfileTooLargeError('shim: output over the limit', OUTPUT_TOO_LARGE, {
      cause: error,
    })
  }
  // execFile's own timeout: SIGKILL, and `killed` set (another signal is a crash, a 500).
  if (error.killed && error.signal === 'SIGKILL') {
    return new ProfileTooLargeError(
      'shim: timed out',
      `The profile could not be converted within the server's time limit (${timeoutMs / 1000} s, CONVERT_TIMEOUT_S).`,
      { cause: error },
    )
  }
  const how = error.killed ? `killed (${error.signal}, timeout?)` : `exit ${String(error.code)}`
  return new Error(`shim failed: ${how}: ${stderr.slice(-2000)}`, { cause: error })
}

/** The shim's last non-empty line, without control characters, of a sensible length. */
function formatReason(stderr: string, fallback = 'The file is not in the pstats format.'): string {
  const lines = stderr.split(/\r?\n/).filter((line) => line.trim() !== '')
  // eslint-disable-next-line no-control-regex
  const line = (lines.at(-1) ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim()
  if (line === '') return fallback
  return line.length > MAX_REASON_LENGTH ? `${line.slice(0, MAX_REASON_LENGTH)}…` : line
}
