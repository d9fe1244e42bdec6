import { existsSync, readFileSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, expect, test } from 'vitest'
import {
  REPO_ROOT,
  closedPort,
  fixturePath,
  getJson,
  isListening,
  prepareCli,
  readSummary,
  runCli,
  runIdOf,
  startCli,
  tempDir,
} from './helper.ts'

const CLI_ROOT = path.join(REPO_ROOT, 'apps/cli')
const SERVER_ROOT = path.join(REPO_ROOT, 'apps/server')

function readJson(file: string) {
  return JSON.parse(readFileSync(file, 'utf8')) as {
    dependencies?: Record<string, string>
    [field: string]: unknown
  }
}

/** pnpm-workspace.yaml's `catalog:` entries (a flat `name: version` map). */
function readCatalog(): Record<string, string> {
  const yaml = readFileSync(path.join(REPO_ROOT, 'pnpm-workspace.yaml'), 'utf8')
  const section = /^catalog:\n((?:[ \t]+.*\n?)*)/m.exec(yaml)?.[1] ?? ''
  return Object.fromEntries(
    [...section.matchAll(/^\s+'?([^':\s]+)'?:\s*(\S+)/gm)].map((m) => [m[1]!, m[2]!]),
  )
}

test('the package depends on exactly the npm packages the compiled server needs', () => {
  const catalog = readCatalog()
  const server = readJson(path.join(SERVER_ROOT, 'package.json')).dependencies ?? {}
  // Our own packages are bundled into dist/; tsx only runs the sources (`dev`, the tests).
  const expected = Object.fromEntries(
    Object.entries(server)
      .filter(([name]) => !name.startsWith('@profhub/') && name !== 'tsx')
      .map(([name, version]) => [name, version === 'catalog:' ? catalog[name] : version]),
  )
  const cli = readJson(path.join(CLI_ROOT, 'package.json')).dependencies ?? {}
  expect(
    cli,
    'apps/cli/package.json "dependencies" must list the server\'s npm dependencies, same exact versions (catalog: resolved)',
  ).toEqual(expected)
})

test('every package the compiled server imports is a dependency of the package', () => {
  const dist = path.join(SERVER_ROOT, 'dist')
  if (!existsSync(dist)) throw new Error(`${dist} is missing: run \`pnpm build\` first`)
  const imported = new Set<string>()
  for (const file of ['server.js', 'profile-worker.js']) {
    const code = readFileSync(path.join(dist, file), 'utf8')
    // esbuild writes one `import … from "x";` per line, and `import("x")` for lazy ones.
    const statements = /^import\s[^;]*?from\s*"([^"]+)";|\bimport\(\s*"([^"]+)"\s*\)/gm
    for (const m of code.matchAll(statements)) {
      const specifier = (m[1] ?? m[2])!
      if (specifier.startsWith('node:') || /^[./]/.test(specifier)) continue
      const parts = specifier.split('/')
      imported.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!)
    }
  }
  const cli = Object.keys(readJson(path.join(CLI_ROOT, 'package.json')).dependencies ?? {})
  expect([...imported].filter((name) => !cli.includes(name))).toEqual([])
})

// Packing, installing (npm compiles better-sqlite3 from source when no prebuilt binary can be
// downloaded: minutes on two cores) and starting the installed command.
const INSTALL = 15 * 60_000

beforeAll(prepareCli, INSTALL)

test(
  'the packed tarball installs with npm and serves a profile with nothing else',
  async () => {
    const work = await tempDir()
    const packed = await runCli(['pack', '--pack-destination', work], process.env, {
      cwd: CLI_ROOT,
      command: ['pnpm'],
    })
    expect(packed.code, packed.stderr + packed.stdout).toBe(0)
    expect(existsSync(path.join(CLI_ROOT, 'server')), 'postpack removes the copies').toBe(false)
    const tarball = (await readdir(work)).find((file) => file.endsWith('.tgz'))
    expect(tarball).toBeDefined()

    const prefix = path.join(work, 'prefix')
    const npmEnv: NodeJS.ProcessEnv = {
      ...process.env,
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    }
    // Debian's nodejs ships its headers: node-gyp need not download them.
    if (existsSync('/usr/include/node/node.h')) npmEnv.npm_config_nodedir = '/usr'
    const started = performance.now()
    const installed = await runCli(
      ['install', '-g', '--prefix', prefix, path.join(work, tarball!)],
      npmEnv,
      { cwd: work, command: ['npm'] },
    )
    expect(installed.code, installed.stderr + installed.stdout).toBe(0)
    console.info(`npm install -g took ${((performance.now() - started) / 1000).toFixed(0)} s`)

    const bin = path.join(prefix, 'bin', 'profhub')
    const home = await tempDir()
    const dataDir = path.join(home, 'store')
    const nowhere = `http://127.0.0.1:${await closedPort()}`
    const env = { ...process.env, XDG_DATA_HOME: home, PROFHUB_URL: '', PATH: process.env.PATH }
    const fixture = 'rules-py3.11.prof'
    // The installed command as a user runs it: through its bin link, from another folder.
    const view = startCli(
      ['view', fixturePath(fixture), '--no-open', '--data-dir', dataDir, '--server', nowhere],
      env,
      [bin],
    )
    const [link] = await view.waitForLines(1)
    const base = new URL(link!).origin
    expect((await fetch(link!)).headers.get('content-type')).toMatch(/^text\/html/)
    const run = await getJson(`${base}/api/runs/${runIdOf(link!)}`)
    const truth = readSummary(fixture)
    expect(run.summary).toMatchObject({
      totalCalls: truth.totalCalls,
      functionCount: truth.functionCount,
    })
    expect((await fetch(`${base}/profhub.py`)).status).toBe(200)
    await view.waitForStderr('press Ctrl-C to stop')
    view.child.kill('SIGINT')
    expect(await view.exit).toEqual({ code: 0, signal: null })
    expect(await isListening(base)).toBe(false)
  },
  INSTALL,
)
