// Before `pnpm pack` / `npm pack`: bundles the command, and copies in what the compiled server
// needs at run time, laid out as it finds it (<server>/shim, <server>/client, <server>/../web/dist).
// `pnpm build` at the repository root must have built the server and the web app.
import { existsSync } from 'node:fs'
import { cp, rm } from 'node:fs/promises'
import path from 'node:path'
import { buildCli } from './build.ts'

const root = path.resolve(import.meta.dirname, '..')
const apps = path.dirname(root)

/** [from, to, a file that shows `from` is complete] */
const COPIES: [string, string, string][] = [
  ['server/dist', 'server/dist', 'server.js'],
  ['server/shim', 'server/shim', 'pstats_to_json.py'],
  ['server/client', 'server/client', 'profhub.py'],
  ['web/dist', 'web/dist', 'index.html'],
]

export async function copyServer(): Promise<void> {
  const missing = COPIES.map(([from, , witness]) => path.join(apps, from, witness)).filter(
    (file) => !existsSync(file),
  )
  if (missing.length > 0) {
    throw new Error(
      `cannot pack profhub: ${missing.join(', ')} missing. Run \`pnpm build\` at the repository root first.`,
    )
  }
  await removeCopies()
  for (const [from, to] of COPIES) {
    await cp(path.join(apps, from), path.join(root, to), {
      recursive: true,
      // Python's byte-code caches are the packer's, not the user's.
      filter: (source) => !source.includes('__pycache__') && !source.endsWith('.pyc'),
    })
  }
}

export async function removeCopies(): Promise<void> {
  await rm(path.join(root, 'server'), { recursive: true, force: true })
  await rm(path.join(root, 'web'), { recursive: true, force: true })
}

if (process.argv[1] === import.meta.filename) {
  await buildCli()
  await copyServer()
}
