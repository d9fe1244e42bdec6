import path from 'node:path'
import { backupDataDir } from '../backup.ts'
import type { Command } from '../command.ts'
import { resolveDataDir } from '../data-dir.ts'
import { CliError, EXIT, usageError } from '../errors.ts'
import { formatBytes, formatSafeText } from '../text.ts'

export const backupCommand: Command = {
  name: 'backup',
  summary: 'copy a store (a DATA_DIR) consistently, while its server runs',
  help: `Usage: profhub backup --to OUT [--data-dir DIR]

Copies the embedded store in DIR (a server's DATA_DIR: profhub.sqlite and runs/) into the new
folder OUT, consistently, while a server keeps serving and storing runs: the database as one
snapshot (SQLite's online backup), then the files of the runs it lists. A run deleted during
the backup is left out. OUT appears only once the copy is whole.

To restore: stop the server, replace its DATA_DIR by OUT (or point DATA_DIR at it), start it.

A server with DATABASE_URL keeps its runs in PostgreSQL (and S3): see "Backup and restore"
in the README (pg_dump, then the bucket).

Options:
  --to OUT         the folder to create (it must not exist)
  --data-dir DIR   the store (default: the store of "profhub view": $XDG_DATA_HOME/profhub,
                   else ~/.local/share/profhub)
  -h, --help       this help`,
  options: {
    to: { type: 'string' },
    'data-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  async run(values, positionals, env) {
    if (positionals.length > 0) throw usageError('backup takes no arguments', 'backup')
    if (typeof values.to !== 'string' || values.to === '') {
      throw usageError('give the folder to back up into: --to OUT', 'backup')
    }
    const dataDir = resolveDataDir(values['data-dir'] as string | undefined, env)
    const out = path.resolve(values.to)
    const interrupt = new AbortController()
    const onSignal = () => interrupt.abort(new CliError('interrupted', EXIT.interrupted))
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
    signals.forEach((name) => process.on(name, onSignal))
    // On a terminal, a line that counts the runs copied (a big store takes minutes).
    const progress = process.stderr.isTTY
      ? (_id: string, index: number, total: number) => {
          process.stderr.write(`\rprofhub: copying run ${index + 1} of ${total}`)
        }
      : undefined
    let result
    try {
      result = await backupDataDir(dataDir, out, interrupt.signal, progress)
    } catch (error) {
      if (interrupt.signal.aborted) throw interrupt.signal.reason
      throw error
    } finally {
      if (progress) process.stderr.write('\r\u001b[K')
      signals.forEach((name) => process.off(name, onSignal))
    }
    const dropped = result.dropped > 0 ? ` (${result.dropped} deleted meanwhile left out)` : ''
    process.stderr.write(
      `profhub: backed up ${result.runs} run${result.runs === 1 ? '' : 's'}${dropped}, ${formatBytes(result.bytes)} of run files, to ${formatSafeText(out)}\n`,
    )
    return EXIT.ok
  },
}
