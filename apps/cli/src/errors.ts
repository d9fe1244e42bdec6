/** Exit codes a script can rely on (README.md lists them). */
export const EXIT = {
  ok: 0,
  /** The work failed: the server refused a file, an unknown run, a file that cannot be written. */
  failure: 1,
  /** The command line is wrong: unknown option, missing argument, bad value. */
  usage: 2,
  /** No profhub server answers at the address (connection refused, DNS, timeout, not profhub). */
  unreachable: 3,
  /** The server answered 401/403: the token is missing or wrong. */
  unauthorized: 4,
  /** Stopped by Ctrl-C before the work was done. */
  interrupted: 130,
} as const

/** An error whose message is meant for the person at the terminal, with the exit code to use. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message)
    this.name = 'CliError'
  }
}

export function usageError(message: string, command?: string): CliError {
  const help = command === undefined ? 'profhub --help' : `profhub ${command} --help`
  return new CliError(`${message} (see ${help})`, EXIT.usage)
}
