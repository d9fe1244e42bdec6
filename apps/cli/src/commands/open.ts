import { openInBrowser } from '../browser.ts'
import { ProfhubClient } from '../client.ts'
import { COMMON_HELP, COMMON_OPTIONS, type Command, type OptionValues } from '../command.ts'
import { EXIT, usageError } from '../errors.ts'
import { parseRunRef } from '../run-ref.ts'
import { connect, tokenOf } from '../server-target.ts'

export const openCommand: Command = {
  name: 'open',
  summary: 'open a run page in the browser (and print its link)',
  help: `Usage: profhub open ID|LINK [--no-open] [options]

Checks that the run exists, prints its link and opens it in the browser ($BROWSER if set).
A run link (http://host/runs/<id>) is opened on its own server.

Options:
  --no-open      only print the link
${COMMON_HELP}`,
  options: { ...COMMON_OPTIONS, 'no-open': { type: 'boolean' } },
  async run(values, positionals, env) {
    if (positionals.length !== 1) throw usageError('give one run id or link', 'open')
    const ref = parseRunRef(positionals[0]!, 'open')
    const client = await clientFor(ref.server, values, env)
    const run = await client.getRun(ref.id)
    const link = client.runLink(run.id)
    process.stdout.write(`${link}\n`)
    if (values['no-open'] !== true) openInBrowser(link, env)
    return EXIT.ok
  },
}

/** The run link's own server, else the usual one. */
export async function clientFor(
  server: string | undefined,
  values: OptionValues,
  env: NodeJS.ProcessEnv,
): Promise<ProfhubClient> {
  if (server !== undefined) return new ProfhubClient(server, tokenOf(values, env))
  return connect(values, env)
}
