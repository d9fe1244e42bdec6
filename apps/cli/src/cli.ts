import { parseArgs } from 'node:util'
import { version } from '../package.json'
import type { Command } from './command.ts'
import { backupCommand } from './commands/backup.ts'
import { exportCommand } from './commands/export.ts'
import { listCommand } from './commands/list.ts'
import { openCommand } from './commands/open.ts'
import { uploadCommand } from './commands/upload.ts'
import { viewCommand } from './commands/view.ts'
import { CliError, EXIT, usageError } from './errors.ts'
import { formatSafeText } from './text.ts'

const COMMANDS: Command[] = [
  viewCommand,
  uploadCommand,
  listCommand,
  openCommand,
  exportCommand,
  backupCommand,
]

const HELP = `Usage: profhub <command> [options]

View Python cProfile profiles (.prof files) in the browser, on this machine or on a shared
profhub server.

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(8)} ${command.summary}`).join('\n')}

"profhub <command> --help" tells more. The commands that talk to a server take --server URL
and --token T.

Environment:
  PROFHUB_URL     the server (default http://localhost:8080)
  PROFHUB_TOKEN   sent as "Authorization: Bearer <token>"
  BROWSER         the browser to open links with
  XDG_DATA_HOME   the store of "profhub view" is $XDG_DATA_HOME/profhub (else ~/.local/share/profhub)

Exit codes: 0 done, 1 failed, 2 wrong usage, 3 no profhub server reachable, 4 token refused,
130 interrupted.

profhub ${version}`

// Options a person may put before the command (`profhub --server URL list`).
const LEADING_WITH_VALUE = new Set(['--server', '--token'])

/** Runs one command line; returns the exit code. Errors are printed here, on one line each. */
export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  try {
    const leading: string[] = []
    let index = 0
    for (; index < argv.length && argv[index]!.startsWith('-'); index++) {
      const arg = argv[index]!
      if (arg === '--help' || arg === '-h') return print(HELP)
      if (arg === '--version' || arg === '-V') return print(version)
      const [flag] = arg.split('=', 1)
      if (!LEADING_WITH_VALUE.has(flag!)) throw usageError(`unknown option ${formatSafeText(arg)}`)
      leading.push(arg)
      if (!arg.includes('=')) {
        const value = argv[++index]
        if (value === undefined) throw usageError(`${flag} needs a value`)
        leading.push(value)
      }
    }
    const name = argv[index]
    if (name === undefined) {
      process.stderr.write(HELP + '\n')
      return EXIT.usage
    }
    const command = COMMANDS.find((candidate) => candidate.name === name)
    if (command === undefined) throw usageError(`unknown command ${formatSafeText(name)}`)
    let parsed
    try {
      parsed = parseArgs({
        args: separateDashIds([...leading, ...argv.slice(index + 1)], command),
        options: command.options,
        allowPositionals: true,
        strict: true,
      })
    } catch (error) {
      throw usageError(formatSafeText((error as Error).message), command.name)
    }
    if (parsed.values.help === true) return print(command.help)
    return await command.run(parsed.values, parsed.positionals, env)
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`profhub: ${error.message}\n`)
      return error.exitCode
    }
    process.stderr.write(`profhub: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`)
    return EXIT.failure
  }
}

/**
 * Run ids are 22 base64url characters, and one in 32 begins with "-": parseArgs would take
 * `profhub open -Xb3…` for an unknown option. Such a word, unless it is an option's value,
 * is moved behind "--", where parseArgs reads only positionals.
 */
export function separateDashIds(args: string[], command: Command): string[] {
  const end = args.indexOf('--')
  const options = end === -1 ? args : args.slice(0, end)
  const rest = end === -1 ? [] : args.slice(end + 1)
  const takesValue = (word: string | undefined) => {
    if (word === undefined || word.includes('=')) return false
    const option = word.startsWith('--')
      ? command.options[word.slice(2)]
      : Object.values(command.options).find((candidate) => `-${candidate.short}` === word)
    return option?.type === 'string'
  }
  const ids = options.filter(
    (word, at) => /^-[A-Za-z0-9_-]{21}$/.test(word) && !takesValue(options[at - 1]),
  )
  if (ids.length === 0) return args
  return [...options.filter((word) => !ids.includes(word)), '--', ...ids, ...rest]
}

function print(text: string): number {
  process.stdout.write(`${text}\n`)
  return EXIT.ok
}
