import { COMMON_HELP, COMMON_OPTIONS, type Command } from '../command.ts'
import { EXIT, usageError } from '../errors.ts'
import { connect } from '../server-target.ts'
import { formatLocalTime, formatSafeText, formatSeconds, formatTable } from '../text.ts'

const DEFAULT_LIMIT = 20
const MAX_LIMIT = 10_000

export const listCommand: Command = {
  name: 'list',
  summary: 'the newest runs: a table, or JSON with --json',
  help: `Usage: profhub list [--limit N] [--json] [options]

The newest runs first: id, created (local time), total time, name.

Options:
  --limit N      how many runs (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT})
  --json         a JSON array of the runs as the API returns them, each with its "link"
${COMMON_HELP}`,
  options: {
    ...COMMON_OPTIONS,
    limit: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(values, positionals, env) {
    if (positionals.length > 0) throw usageError('list takes no arguments', 'list')
    const limit = parseLimit(values.limit)
    const client = await connect(values, env)
    const runs = await client.listRuns(limit)
    if (values.json === true) {
      const withLinks = runs.map((run) => ({ ...run, link: client.runLink(run.id) }))
      process.stdout.write(`${JSON.stringify(withLinks, null, 2)}\n`)
      return EXIT.ok
    }
    if (runs.length === 0) {
      process.stdout.write(`No runs on ${client.baseUrl} yet.\n`)
      return EXIT.ok
    }
    const rows = runs.map((run) => [
      run.id,
      formatLocalTime(run.createdAt),
      formatSeconds(run.summary.totalTime),
      formatSafeText(run.name),
    ])
    const width = process.stdout.isTTY ? process.stdout.columns : undefined
    const lines = formatTable(['ID', 'CREATED', 'TOTAL TIME', 'NAME'], rows, width)
    process.stdout.write(`${lines.join('\n')}\n`)
    return EXIT.ok
  },
}

function parseLimit(value: unknown): number {
  if (value === undefined) return DEFAULT_LIMIT
  const text = String(value)
  const limit = /^\d+$/.test(text) ? Number(text) : NaN
  if (!(limit >= 1 && limit <= MAX_LIMIT)) {
    throw usageError(`--limit takes a whole number from 1 to ${MAX_LIMIT}, not ${text}`, 'list')
  }
  return limit
}
