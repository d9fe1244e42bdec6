// Bundles the command into one ESM file run by plain node: dist/profhub.js.
import { chmod, rename } from 'node:fs/promises'
import path from 'node:path'
import { build } from 'esbuild'

const root = path.resolve(import.meta.dirname, '..')
export const CLI_BUNDLE = path.join(root, 'dist', 'profhub.js')

/**
 * Writes the bundle (by way of a temp file and a rename, so that a test file building it while
 * another runs it never sees half a file).
 */
export async function buildCli(outfile = CLI_BUNDLE): Promise<string> {
  const temp = `${outfile}.${process.pid}.tmp`
  await build({
    absWorkingDir: root,
    entryPoints: ['src/main.ts'],
    outfile: temp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  })
  await chmod(temp, 0o755)
  await rename(temp, outfile)
  return outfile
}

if (process.argv[1] === import.meta.filename) await buildCli()
