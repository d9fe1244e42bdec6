import { openInBrowser } from '../browser.ts'
import { ProfhubClient } from '../client.ts'
import {
  COMMON_HELP,
  COMMON_OPTIONS,
  type Command,
  UPLOAD_HELP,
  UPLOAD_OPTIONS,
} from '../command.ts'
import { resolveDataDir } from '../data-dir.ts'
import { findServerScript } from '../embedded-server.ts'
import { CliError, EXIT } from '../errors.ts'
import { DEFAULT_SERVER, namedServer, tokenOf } from '../server-target.ts'
import { type StoreServer, acquireStoreServer } from '../store-server.ts'
import { checkLocalFiles, parseUploadOptions, uploadAndPrint } from '../upload.ts'

export const viewCommand: Command = {
  name: 'view',
  summary: 'view .prof files in the browser (starts a server on this machine if needed)',
  help: `Usage: profhub view FILE.prof… [options]

Uploads the files and opens each run in the browser. The server is the one at --server
(or $PROFHUB_URL, or http://localhost:8080) if a profhub answers there; otherwise profhub
serves them itself from this machine, on a free port of 127.0.0.1, with the runs kept in a
store of your own, and keeps serving until Ctrl-C. A second "profhub view" while one serves
the same store uploads to it.

Options:
  --no-open        only print the links
  --data-dir DIR   the store of the server started here (default: $XDG_DATA_HOME/profhub,
                   else ~/.local/share/profhub)
${UPLOAD_HELP}
${COMMON_HELP}`,
  options: {
    ...COMMON_OPTIONS,
    ...UPLOAD_OPTIONS,
    'no-open': { type: 'boolean' },
    'data-dir': { type: 'string' },
  },
  async run(values, positionals, env) {
    const options = parseUploadOptions(values, positionals.length, 'view')
    const files = await checkLocalFiles(positionals)
    const named = namedServer(values, env)
    const remote = new ProfhubClient(named ?? DEFAULT_SERVER, tokenOf(values, env))

    // From here on Ctrl-C stops what we started, then ends the command.
    const interrupt = new AbortController()
    const onSignal = () => interrupt.abort(new CliError('interrupted', EXIT.interrupted))
    const interrupted = new Promise<null>((resolve) =>
      interrupt.signal.addEventListener('abort', () => resolve(null)),
    )
    // SIGHUP: the terminal closed; the server must not outlive it unowned.
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
    signals.forEach((name) => process.on(name, onSignal))
    let local: StoreServer | undefined
    let serving = false
    try {
      let client = remote
      const health = await remote.checkHealth()
      if (health.state !== 'ok') {
        const dataDir = resolveDataDir(values['data-dir'] as string | undefined, env)
        if (named !== undefined) {
          process.stderr.write(
            `profhub: no profhub server is usable at ${named} (${health.message}); using this machine's own, with the runs in ${dataDir}\n`,
          )
        }
        local = await acquireStoreServer(dataDir, findServerScript, interrupt.signal)
        client = new ProfhubClient(local.url)
      }
      const runs = await uploadAndPrint(client, files, options, interrupt.signal)
      const links = runs.map((run) => client.runLink(run.id))
      if (links.length === 0) {
        // No file: the list of runs.
        links.push(`${client.baseUrl}/`)
        process.stdout.write(`${client.baseUrl}/\n`)
      }
      if (values['no-open'] !== true) links.forEach((link) => openInBrowser(link, env))
      if (local?.kind === 'shared') {
        process.stderr.write(
          `profhub: served by the profhub view already running (pid ${local.ownerPid}) at ${local.url}\n`,
        )
      }
      if (local?.kind !== 'owned') return EXIT.ok

      serving = true
      process.stderr.write(`profhub: serving at ${local.url}; press Ctrl-C to stop\n`)
      const stopped = await Promise.race([interrupted, local.exited])
      if (stopped === null) return EXIT.ok
      throw new CliError(`the server stopped unexpectedly:\n${stopped.trimEnd()}`)
    } catch (error) {
      if (interrupt.signal.aborted) return serving ? EXIT.ok : EXIT.interrupted
      throw error
    } finally {
      // Still listening while it stops: a second Ctrl-C must not cut the stop short.
      if (local?.kind === 'owned') await local.stop()
      signals.forEach((name) => process.off(name, onSignal))
    }
  },
}
