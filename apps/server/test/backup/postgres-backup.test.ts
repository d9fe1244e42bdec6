import { spawn } from 'node:child_process'
import { createReadStream, createWriteStream, existsSync, readdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { GetObjectCommand, ListObjectsCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { describe, expect, it, onTestFinished } from 'vitest'
import { useCompiledServers } from '../compiled-server.ts'
import { testS3Endpoint } from '../runs/blob-stores.ts'
import { createDatabase, dropDatabase, testPostgresUrl } from '../services/postgres.ts'
import { createBucket, createTestS3Client } from '../services/s3.ts'
import { getBytes } from '../upload-burst.ts'
import { deleteRun, expectSameRuns, keepUploading, readAllRuns, seedRuns } from './restore-check.ts'

// The PostgreSQL stores backed up as the README says: `pg_dump -Fc` while the server serves,
// `pg_restore` into a new database; with a bucket, the bucket copied after the dump (what
// `aws s3 sync s3://a s3://b` does, here with the SDK: there is no aws CLI in the tests).
// A server on the restored database (and bucket) must answer as the original did.
const startServer = useCompiledServers()

/**
 * A PostgreSQL client program of the test server's installation (`PG_BIN`, else the newest
 * /usr/lib/postgresql/<version>/bin, as services/postgres.ts finds initdb): pg_dump must be at
 * least as new as the server. Clients connect over TCP as the `postgres` role, so unlike the
 * server they may run as root.
 */
function pgProgram(name: string): string {
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((version) => existsSync(path.join(root, version, 'bin', name)))
        .sort((a, b) => Number(b) - Number(a))
    : []
  const bin = process.env.PG_BIN ?? (versions[0] && path.join(root, versions[0], 'bin'))
  if (!bin) throw new Error(`${name} is not installed: run \`bash scripts/ensure-postgres.sh\``)
  return path.join(bin, name)
}

/** Runs a PostgreSQL program with stdin and stdout from/to files; fails on a non-zero exit. */
async function runPgProgram(
  name: string,
  args: string[],
  io: { stdin?: string; stdout?: string },
): Promise<void> {
  const child = spawn(pgProgram(name), args, {
    stdio: [io.stdin ? 'pipe' : 'ignore', io.stdout ? 'pipe' : 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  })
  // A program that fails closes its pipes: its exit code and message say more than EPIPE.
  const piped = await Promise.all([
    io.stdin && pipeline(createReadStream(io.stdin), child.stdin!),
    io.stdout && pipeline(child.stdout!, createWriteStream(io.stdout)),
  ]).catch((error: unknown) => error)
  const code = await exited
  if (code !== 0) throw new Error(`${name} exited with ${code}: ${stderr}`)
  if (piped instanceof Error) throw piped
}

/** Every object of `from` put into `to`, as `aws s3 sync s3://from s3://to` copies them. */
async function copyBucket(endpoint: string, from: string, to: string): Promise<number> {
  const client = createTestS3Client(endpoint)
  let copied = 0
  try {
    let marker: string | undefined
    for (;;) {
      const page = await client.send(new ListObjectsCommand({ Bucket: from, Marker: marker }))
      const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []))
      for (const key of keys) {
        const object = await client.send(new GetObjectCommand({ Bucket: from, Key: key }))
        const body = await object.Body!.transformToByteArray()
        await client.send(new PutObjectCommand({ Bucket: to, Key: key, Body: body }))
        copied += 1
      }
      if (!page.IsTruncated || keys.length === 0) return copied
      marker = keys[keys.length - 1]
    }
  } finally {
    client.destroy()
  }
}

async function newDatabase(): Promise<string> {
  const url = await createDatabase(await testPostgresUrl())
  onTestFinished(() => dropDatabase(url))
  return url
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'profhub-backup-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  return dir
}

describe('backup and restore of the PostgreSQL stores', () => {
  it('blobs in PostgreSQL: pg_dump -Fc while uploads go on, pg_restore into a new database', async () => {
    const work = await tempDir()
    const source = await newDatabase()
    const original = await startServer({ DATABASE_URL: source, UPLOAD_RATE_LIMIT: '0' })
    const seeded = await seedRuns(original.url)
    const answers = await readAllRuns(original.url)
    const uploads = keepUploading(original.url)
    await uploads.started
    const required = [...seeded, ...uploads.acknowledged]

    const dump = path.join(work, 'profhub.dump')
    await runPgProgram('pg_dump', ['-Fc', '-d', source], { stdout: dump })
    await uploads.stop()
    for (const [id, answer] of await readAllRuns(original.url)) answers.set(id, answer)

    const target = await newDatabase()
    await runPgProgram('pg_restore', ['--exit-on-error', '--no-owner', '-d', target], {
      stdin: dump,
    })
    const restored = await startServer({ DATABASE_URL: target })
    const count = await expectSameRuns(restored.url, answers, required)
    console.info(`pg_dump: ${count} runs restored of ${answers.size} seen`)
  })

  it('blobs in a bucket: pg_dump, then the bucket copied; a run deleted in between is found and deleted again', async () => {
    const work = await tempDir()
    const endpoint = await testS3Endpoint()
    const s3 = {
      S3_ENDPOINT: endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    }
    const source = await newDatabase()
    const sourceBucket = await createBucket(endpoint)
    const original = await startServer({
      ...s3,
      DATABASE_URL: source,
      S3_BUCKET: sourceBucket,
      UPLOAD_RATE_LIMIT: '0',
    })
    const seeded = await seedRuns(original.url)
    const answers = await readAllRuns(original.url)
    const uploads = keepUploading(original.url)
    await uploads.started
    const required = [...seeded, ...uploads.acknowledged]

    const dump = path.join(work, 'profhub.dump')
    await runPgProgram('pg_dump', ['-Fc', '-d', source], { stdout: dump })
    // After the dump: its row is in the dump, its blobs are gone before the bucket is copied.
    const deletedBetween = seeded.at(-1)!
    await deleteRun(original.url, deletedBetween)
    const targetBucket = await createBucket(endpoint)
    const objects = await copyBucket(endpoint, sourceBucket, targetBucket)
    await uploads.stop()
    for (const [id, answer] of await readAllRuns(original.url)) answers.set(id, answer)

    const target = await newDatabase()
    await runPgProgram('pg_restore', ['--exit-on-error', '--no-owner', '-d', target], {
      stdin: dump,
    })
    const restored = await startServer({ ...s3, DATABASE_URL: target, S3_BUCKET: targetBucket })

    // The check the README gives: a listed run whose file does not open was deleted between
    // the dump and the copy; deleting it again is the whole repair.
    const ghost = await fetch(`${restored.url}/api/runs/${deletedBetween}/file`)
    expect(ghost.status).toBe(404)
    await ghost.arrayBuffer()
    expect((await getBytes(`${restored.url}/api/runs/${deletedBetween}`)).length).toBeGreaterThan(0)
    await deleteRun(restored.url, deletedBetween)

    const count = await expectSameRuns(
      restored.url,
      answers,
      required.filter((id) => id !== deletedBetween),
    )
    console.info(
      `pg_dump + bucket: ${count} runs restored of ${answers.size} seen, ${objects} objects copied`,
    )
  })
})
