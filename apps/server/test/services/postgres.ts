import { execFile } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { chown, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { once } from './once.ts'

const run = promisify(execFile)

export interface PostgresService {
  /** The admin connection (`postgres` user, database `postgres`, no password: trust). */
  url: string
  /** Stops the server at once (nothing in it is worth a clean shutdown) and removes its files. */
  stop(): Promise<void>
}

/**
 * A throwaway PostgreSQL server: initdb into a temp folder, listening on 127.0.0.1 at a free
 * port, its socket inside that folder, fsync off. PostgreSQL refuses to run as root, so as
 * root the server runs as the `postgres` user, which then owns the folder.
 */
export async function startPostgres(): Promise<PostgresService> {
  const dir = await mkdtemp(path.join(tmpdir(), 'profhub-pg-'))
  const asRoot = process.getuid?.() === 0
  const bin = postgresBinDir()
  const pgCommand = (name: string, args: string[]) => {
    const command = path.join(bin, name)
    return asRoot ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args)
  }
  try {
    if (asRoot) {
      const { stdout } = await run('id', ['-u', 'postgres'])
      const { stdout: group } = await run('id', ['-g', 'postgres'])
      await chown(dir, Number(stdout.trim()), Number(group.trim()))
    }
    const dataDir = path.join(dir, 'data')
    await pgCommand('initdb', [
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--no-sync',
      '-D',
      dataDir,
    ])
    // A port found free can be taken before the server binds it: then try another.
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort()
      const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`
      try {
        await pgCommand('pg_ctl', [
          '-D',
          dataDir,
          '-o',
          options,
          '-l',
          path.join(dir, 'log'),
          '-w',
          'start',
        ])
      } catch (error) {
        if (attempt < 3) continue
        throw error
      }
      return {
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        // Once, however often it is called (a test may stop it before its clean-up does).
        stop: once(async () => {
          try {
            await pgCommand('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop'])
          } finally {
            await rm(dir, { recursive: true, force: true })
          }
        }),
      }
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}

/** Creates a database with a fresh unique name on the server of `adminUrl`; returns its URL. */
export async function createDatabase(adminUrl: string): Promise<string> {
  const name = `profhub_test_${randomBytes(8).toString('hex')}`
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`))
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/**
 * A pool on a test database. Its idle connections are cut when the database is dropped (WITH
 * FORCE) or the server stops at the end of the run: PostgreSQL's 57P01, which the pool emits as
 * an 'error' event and which, with no listener, ends the test process. That one is expected
 * here (a later query opens a new connection); any other error is thrown as before.
 */
export function testPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url })
  pool.on('error', (error) => {
    if ((error as { code?: unknown }).code !== '57P01') throw error
  })
  return pool
}

/** Drops the database of `url` (made by `createDatabase`), closing what is still connected. */
export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1)
  if (!/^profhub_test_[0-9a-f]{16}$/.test(name)) throw new Error(`not a test database: ${name}`)
  const admin = new URL(url)
  admin.pathname = '/postgres'
  await withAdmin(admin.toString(), (client) =>
    client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  )
}

async function withAdmin(url: string, work: (client: pg.Client) => Promise<unknown>) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await work(client)
  } finally {
    await client.end()
  }
}

/**
 * Where `initdb` and `pg_ctl` are: Debian keeps them in /usr/lib/postgresql/<version>/bin (the
 * newest is taken), off PATH; `PG_BIN` overrides. scripts/ensure-postgres.sh installs them.
 */
function postgresBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((version) => existsSync(path.join(root, version, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  if (versions[0] === undefined) {
    throw new Error(
      'PostgreSQL is not installed: run `bash scripts/ensure-postgres.sh` (or set PG_BIN to the folder holding initdb and pg_ctl)',
    )
  }
  return path.join(root, versions[0], 'bin')
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      )
    })
  })
}

let ownPostgres: Promise<PostgresService> | undefined

/**
 * The admin URL of the run's server (`PROFHUB_TEST_POSTGRES_URL`, set by
 * postgres-global-setup.ts or by hand), else of one started on first use in this test file;
 * `stopOwnPostgres` (in an afterAll) stops that one.
 */
export async function testPostgresUrl(): Promise<string> {
  const shared = process.env.PROFHUB_TEST_POSTGRES_URL
  if (shared) return shared
  ownPostgres ??= startPostgres()
  return (await ownPostgres).url
}

export async function stopOwnPostgres(): Promise<void> {
  const own = ownPostgres
  ownPostgres = undefined
  if (own) await (await own).stop()
}
