import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_OPTIONS, type FuzzOptions } from './run-fuzz.ts'

export const USAGE = `usage: pnpm fuzz [--seed N] [--count N] [--first N] [--jobs N] [--http-count N]
                 [--time-limit SECONDS] [--findings DIR]

Mutates the real fixture profiles (deterministically from the seed), runs --count mutants
(numbered from --first) through the shim, --jobs at once, and uploads --http-count others to
the compiled server (127.0.0.1 only), then prints the tally. Exits 1 on any bug, hang, 5xx or
anything left behind; the mutants that caused them are written to --findings.
--first splits a long run: --first 0 --count 5000 and --first 5000 --count 5000 together run the
mutants of --count 10000.
Defaults: --seed ${DEFAULT_OPTIONS.seed} --count ${DEFAULT_OPTIONS.count} --first 0 \
--jobs ${DEFAULT_OPTIONS.jobs} (the cores) --http-count ${DEFAULT_OPTIONS.httpCount} \
--time-limit ${DEFAULT_OPTIONS.timeLimitMs / 1000} \
--findings ${path.join(tmpdir(), 'profhub-fuzz-findings')}`

/** The options from the command line, or a message saying what is wrong with it. */
export function parseFuzzOptions(argv: string[]): FuzzOptions | string {
  let values
  try {
    values = parseArgs({
      args: argv,
      options: {
        seed: { type: 'string' },
        count: { type: 'string' },
        first: { type: 'string' },
        jobs: { type: 'string' },
        'http-count': { type: 'string' },
        'time-limit': { type: 'string' },
        findings: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values
  } catch (error) {
    return `${(error as Error).message}\n${USAGE}`
  }
  if (values.help) return USAGE
  const number = (name: string, value: string | undefined, fallback: number, min: number) => {
    if (value === undefined) return fallback
    const n = Number(value)
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}`)
    return n
  }
  try {
    return {
      seed: Math.trunc(number('seed', values.seed, DEFAULT_OPTIONS.seed, 0)),
      count: Math.trunc(number('count', values.count, DEFAULT_OPTIONS.count, 0)),
      first: Math.trunc(number('first', values.first, DEFAULT_OPTIONS.first, 0)),
      jobs: Math.trunc(number('jobs', values.jobs, DEFAULT_OPTIONS.jobs, 1)),
      httpCount: Math.trunc(
        number('http-count', values['http-count'], DEFAULT_OPTIONS.httpCount, 0),
      ),
      timeLimitMs:
        number('time-limit', values['time-limit'], DEFAULT_OPTIONS.timeLimitMs / 1000, 1) * 1000,
      // pnpm runs the script in apps/server; a relative path means where the command was typed.
      findingsDir: values.findings
        ? path.resolve(process.env.INIT_CWD ?? process.cwd(), values.findings)
        : path.join(tmpdir(), 'profhub-fuzz-findings'),
    }
  } catch (error) {
    return `${(error as Error).message}\n${USAGE}`
  }
}
