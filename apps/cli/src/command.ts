import type { ParseArgsConfig } from 'node:util'

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>

/** One `profhub <name>` command: its options (for util.parseArgs), its help, its work. */
export interface Command {
  name: string
  /** One line for `profhub --help`. */
  summary: string
  /** The whole of `profhub <name> --help`. */
  help: string
  options: NonNullable<ParseArgsConfig['options']>
  /** The exit code. */
  run(values: OptionValues, positionals: string[], env: NodeJS.ProcessEnv): Promise<number>
}

/** Every command that talks to a server takes these. */
export const COMMON_OPTIONS = {
  server: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

export const COMMON_HELP = `  --server URL   the profhub server (default: $PROFHUB_URL, else http://localhost:8080)
  --token T      sent as "Authorization: Bearer T" (default: $PROFHUB_TOKEN)
  -h, --help     this help`

export const UPLOAD_OPTIONS = {
  name: { type: 'string' },
  merge: { type: 'boolean' },
  label: { type: 'string', multiple: true },
} as const

export const UPLOAD_HELP = `  --name N       the run's name (default: the file's name); one file, or with --merge
  --merge        one run of all the files, merged as pstats.Stats.add does
  --label K=V    a label on every run (repeat for several)`
