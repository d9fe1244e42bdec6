import { execFileSync } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ListObjectsV2Command } from '@aws-sdk/client-s3'
import { fixturePath, readSummary } from '@profhub/fixtures'
import { validate } from 'dockerfile-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createDatabase,
  dropDatabase,
  stopOwnPostgres,
  testPostgresUrl,
} from '../services/postgres.ts'
import { createBucket, createTestS3Client, S3RVER_CREDENTIALS, startS3 } from '../services/s3.ts'
import { runStage, type StageResult } from './build-without-docker.ts'
import { readComposeEnvironment } from './compose.ts'
import { type Instruction, parseDockerfile, parseDockerignore, type Stage } from './dockerfile.ts'
import { listFiles, runCommand, startImage } from './run-image.ts'

// The production recipe (the Dockerfile) checked without a Docker engine: linted, then its
// build and runtime stages run as plain commands in temp directories (the repository as the
// context, .dockerignore applied), and the runtime directory started as the image's CMD. What
// this cannot check: the base images themselves (their apt packages and Node build), the user
// and /data the runtime stage creates (skipped: see isSystemSetup), and USER (the server runs
// as this test's user). A real build: minutes on a loaded machine.

const REPO = path.resolve(import.meta.dirname, '../../../..')
const BUILD_TIMEOUT = 10 * 60_000
const FIXTURE = 'recursion-py3.11.prof'

const dockerfileText = await readFile(path.join(REPO, 'Dockerfile'), 'utf8')
const stages = parseDockerfile(dockerfileText)
const buildStage = stages.find((stage) => stage.name === 'build')!
const runtimeStage = stages.at(-1)!

function steps<K extends Instruction['kind']>(stage: Stage, kind: K) {
  return stage.instructions.filter((step): step is Extract<Instruction, { kind: K }> => {
    return step.kind === kind
  })
}

describe('the Dockerfile', () => {
  it('passes dockerfile-utils with no error or warning', () => {
    const problems = validate(dockerfileText).map(
      (problem) => `line ${problem.range.start.line + 1}: ${problem.message}`,
    )
    expect(problems).toEqual([])
  })

  it('builds in one stage and runs as a fixed non-root user in a slim one', () => {
    expect(stages.map((stage) => [stage.name, stage.image])).toEqual([
      ['build', expect.stringMatching(/^node:20[.\d]*-bookworm$/)],
      ['runtime', expect.stringMatching(/^node:20[.\d]*-bookworm-slim$/)],
    ])
    // The addon built in the first stage is loaded in the second: one Node release for both.
    expect(buildStage.image.replace(/-bookworm$/, '')).toBe(runtimeStage.image.split('-')[0])
    expect(steps(runtimeStage, 'USER').map((step) => step.user)).toEqual(['10001:10001'])
    expect(runtimeStage.instructions.filter((step) => step.kind === 'OTHER')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ keyword: 'VOLUME', text: '/data' }),
        expect.objectContaining({ keyword: 'EXPOSE', text: '8080' }),
      ]),
    )
    expect(steps(runtimeStage, 'ENV').map((step) => step.values)).toContainEqual(
      expect.objectContaining({ HOST: '0.0.0.0', DATA_DIR: '/data', PORT: '8080' }),
    )
    // Exec form: node is PID 1 and receives SIGTERM itself (close-with-grace handles it).
    expect(steps(runtimeStage, 'CMD').map((step) => step.argv[0])).toEqual(['node'])
  })

  it('installs the pnpm of the packageManager field, the one this test runs', async () => {
    const manifest = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8')) as {
      packageManager: string
    }
    const wanted = /^pnpm@([^+]+)/.exec(manifest.packageManager)![1]
    const installs = steps(buildStage, 'RUN').flatMap(
      (step) => /npm install -g pnpm@(\S+)/.exec(step.command)?.[1] ?? [],
    )
    expect(installs).toEqual([wanted])
    expect(execFileSync('pnpm', ['--version'], { encoding: 'utf8' }).trim()).toBe(wanted)
  })
})

describe('the image, built without Docker', () => {
  let work: string
  let build: StageResult
  let runtime: StageResult

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'profhub-image-'))
    const ignored = parseDockerignore(await readFile(path.join(REPO, '.dockerignore'), 'utf8'))
    // Docker starts RUN with PATH and HOME only; HOME keeps pnpm's store on this machine.
    const baseEnv = { PATH: process.env.PATH!, HOME: process.env.HOME! }
    const built = new Map<string, StageResult>()
    for (const stage of stages) {
      const root = path.join(work, stage.name)
      built.set(stage.name, await runStage(stage, { context: REPO, ignored, root, built, baseEnv }))
    }
    build = built.get('build')!
    runtime = built.get(runtimeStage.name)!
  }, BUILD_TIMEOUT)

  afterAll(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true })
  })

  it('skipped only the system setup this machine already has', () => {
    expect(build.skipped).toEqual([
      expect.stringMatching(/^apt-get update && apt-get install .* python3 make g\+\+ /),
      expect.stringMatching(/^npm install -g pnpm@/),
    ])
    expect(runtime.skipped).toEqual([
      expect.stringMatching(/^apt-get update && apt-get install .* python3 /),
      expect.stringMatching(/^groupadd .* && useradd .* && mkdir \/data && chown /),
    ])
  })

  it('holds the bundles, the shim, the client and the web app, and nothing to compile', async () => {
    const app = path.join(runtime.root, runtime.workdir)
    const files = await listFiles(app, (name) => name !== 'node_modules')
    expect(files).toEqual(
      expect.arrayContaining([
        'apps/server/dist/server.js',
        'apps/server/dist/profile-worker.js',
        'apps/server/dist/launcher.js',
        'apps/server/shim/pstats_to_json.py',
        'apps/server/client/profhub.py',
        'apps/web/dist/index.html',
      ]),
    )
    expect(files.filter((file) => /(^|\/)src\/|\.tsx?$/.test(file))).toEqual([])

    // Development tools have no place at run time. tsx (and esbuild under it) is among the
    // server's dependencies while package.json lists it there; the bundle never loads it.
    const serverManifest = JSON.parse(
      await readFile(path.join(REPO, 'apps/server/package.json'), 'utf8'),
    ) as { dependencies: Record<string, string> }
    const devTools = ['vitest', 'typescript', 'vite', 'eslint', 'prettier', 's3rver', 'speedscope']
    devTools.push('dockerfile-utils', '@types', '@profhub+fixtures')
    if (!('tsx' in serverManifest.dependencies)) devTools.push('tsx', 'esbuild')
    const installed = await readdir(path.join(app, 'apps/server/node_modules/.pnpm'))
    const found = installed.filter((entry) =>
      devTools.some(
        (tool) => entry.startsWith(`${tool.replace('/', '+')}@`) || entry.startsWith(`${tool}+`),
      ),
    )
    expect(found).toEqual([])
  })

  it('resolves every package the bundles import', async () => {
    const dist = path.join(runtime.root, runtime.workdir, 'apps/server/dist')
    const specifiers = new Set<string>()
    for (const file of (await readdir(dist)).filter((name) => name.endsWith('.js'))) {
      const code = await readFile(path.join(dist, file), 'utf8')
      for (const match of code.matchAll(/(?:from|import\(|require\()\s*["']([^"'./][^"']*)["']/g)) {
        if (!match[1]!.startsWith('node:')) specifiers.add(match[1]!)
      }
    }
    expect([...specifiers]).toContain('better-sqlite3')
    // Resolved as the bundle resolves them: ESM, from the dist folder up.
    const script = `for (const s of ${JSON.stringify([...specifiers])}) import.meta.resolve(s)`
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dist })
  })

  /** The runtime stage's ENV, then `overrides`, as `docker run -e` would set them. */
  function imageEnv(overrides: Record<string, string>): Record<string, string> {
    return { PATH: process.env.PATH!, ...runtime.env, ...overrides }
  }

  it('starts as the CMD, converts an upload, passes its HEALTHCHECK and stops on SIGTERM', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'profhub-image-data-'))
    const cwd = path.join(runtime.root, runtime.workdir)
    const token = 'image-test-token'
    // A free port and a temp DATA_DIR; loopback, as nothing outside this test needs it.
    const env = imageEnv({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, AUTH_TOKEN: token })
    const image = await startImage(steps(runtimeStage, 'CMD')[0]!.argv, cwd, env)
    try {
      const healthcheck = steps(runtimeStage, 'HEALTHCHECK')[0]!.argv
      const port = new URL(image.url).port
      expect(await runCommand(healthcheck, cwd, { ...env, PORT: port })).toBe(0)
      await expectUploadConverts(image.url, token)
      expect(await image.stop()).toBe(0)
      // Stopped: the health check now fails.
      expect(await runCommand(healthcheck, cwd, { ...env, PORT: port })).toBe(1)
    } finally {
      image.kill()
      await rm(dataDir, { recursive: true, force: true })
    }
  })

  it("runs on PostgreSQL and S3 with compose.yaml's environment", async () => {
    const token = 'compose-test-token'
    const compose = readComposeEnvironment(
      await readFile(path.join(REPO, 'compose.yaml'), 'utf8'),
      'profhub',
      { AUTH_TOKEN: token, POSTGRES_PASSWORD: 'secret', MINIO_ROOT_PASSWORD: 'minio-secret' },
    )
    expect(compose).toMatchObject({
      AUTH_TOKEN: token,
      DATABASE_URL: 'postgres://profhub:secret@postgres:5432/profhub',
      S3_ENDPOINT: 'http://minio:9000',
      AWS_SECRET_ACCESS_KEY: 'minio-secret',
    })
    // compose's services, replaced by this machine's: a fresh database and an s3rver, with
    // the bucket compose's minio-bucket step makes.
    const databaseUrl = await createDatabase(await testPostgresUrl())
    const s3 = await startS3()
    const dataDir = await mkdtemp(path.join(tmpdir(), 'profhub-image-data-'))
    try {
      await createBucket(s3.endpoint, compose.S3_BUCKET)
      const env = imageEnv({
        ...compose,
        DATABASE_URL: databaseUrl,
        S3_ENDPOINT: s3.endpoint,
        AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
      })
      const cwd = path.join(runtime.root, runtime.workdir)
      const image = await startImage(steps(runtimeStage, 'CMD')[0]!.argv, cwd, env)
      try {
        await expectUploadConverts(image.url, token)
        const client = createTestS3Client(s3.endpoint)
        const listed = await client.send(new ListObjectsV2Command({ Bucket: compose.S3_BUCKET }))
        client.destroy()
        expect(listed.KeyCount).toBeGreaterThan(0)
        expect(await image.stop()).toBe(0)
      } finally {
        image.kill()
      }
    } finally {
      await s3.stop()
      await dropDatabase(databaseUrl)
      await stopOwnPostgres()
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})

/** Uploads the fixture with `token`, and reads back all of its stats rows. */
async function expectUploadConverts(url: string, token: string): Promise<void> {
  const form = new FormData()
  form.append('file', new Blob([await readFile(fixturePath(FIXTURE))]), 'recursion.prof')
  const headers = { authorization: `Bearer ${token}` }
  const created = await fetch(`${url}/api/runs`, { method: 'POST', body: form, headers })
  expect(created.status).toBe(201)
  const { id } = (await created.json()) as { id: string }
  const stats = await fetch(`${url}/api/runs/${id}/stats?limit=1000`, { headers })
  expect(stats.status).toBe(200)
  const { rows } = (await stats.json()) as { rows: { ncalls: number }[] }
  const truth = readSummary(FIXTURE)
  expect(rows).toHaveLength(truth.functionCount)
  expect(rows.reduce((sum, row) => sum + row.ncalls, 0)).toBe(truth.totalCalls)
}
