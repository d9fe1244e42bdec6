import { readFileSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fixturePath, readSummary } from '@profhub/fixtures'
import Fastify, { type FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { afterAll, expect, onTestFinished } from 'vitest'
import profhubApp, { serverOptions } from '../src/app.ts'
import { ProfileWorkers } from '../src/converter/profile-workers.ts'
import { parseConfig } from '../src/plugins/app/config.ts'

/**
 * What pstats itself reports for a fixture (`NAME.summary.json`), as the API's summary.
 * totalTime is a float sum, and the shim may add in another order than pstats did (Python
 * 2.7 dicts have no fixed order): equal to 12 decimal places.
 */
export function expectedSummary(fixture: string) {
  const truth = readSummary(fixture)
  return {
    totalTime: expect.closeTo(truth.totalTime, 12),
    totalCalls: truth.totalCalls,
    primitiveCalls: truth.primitiveCalls,
    functionCount: truth.functionCount,
  }
}

export interface TestApp {
  app: FastifyInstance
  dataDir: string
}

/**
 * The whole app on a fresh temp DATA_DIR (or `dataDir`, to test a restart), closed after the
 * test; the temp dir is removed too. `env` is read like the process environment.
 */
// One pool of worker threads per test file: starting a worker (with tsx's loader) takes
// about half a second, too long to pay for every app a test builds.
let sharedWorkers: ProfileWorkers | undefined
afterAll(() => sharedWorkers?.close())

export async function build(env: Record<string, string> = {}, dataDir?: string): Promise<TestApp> {
  const dir = dataDir ?? (await mkdtemp(path.join(tmpdir(), 'profhub-test-')))
  const app = Fastify(serverOptions)
  sharedWorkers ??= new ProfileWorkers()
  app.register(fp(profhubApp), {
    config: parseConfig({ DATA_DIR: dir, WEB_DIST: path.join(dir, 'no-web-dist'), ...env }),
    profileWorkers: sharedWorkers,
  })
  onTestFinished(async () => {
    await app.close()
    if (dataDir === undefined) await rm(dir, { recursive: true, force: true })
  })
  await app.ready()
  return { app, dataDir: dir }
}

/** A multipart body with `file` (and `name` if given), as a browser's FormData sends it. */
export function uploadForm(
  filePath: string,
  options: { name?: string; nameFirst?: boolean; fileName?: string } = {},
): FormData {
  const form = new FormData()
  const fileName = options.fileName ?? path.basename(filePath)
  const addName = () => options.name !== undefined && form.append('name', options.name)
  if (options.nameFirst) addName()
  form.append('file', new Blob([readFileSync(filePath)]), fileName)
  if (!options.nameFirst) addName()
  return form
}

export async function upload(
  app: FastifyInstance,
  filePath: string,
  options?: Parameters<typeof uploadForm>[1],
) {
  return app.inject({ method: 'POST', url: '/api/runs', payload: uploadForm(filePath, options) })
}

/** One request with several `file` parts (fixture names), and `mode` / `name` if given. */
export async function uploadMany(
  app: FastifyInstance,
  fixtures: string[],
  fields: { mode?: string; name?: string } = {},
) {
  const form = new FormData()
  if (fields.mode !== undefined) form.append('mode', fields.mode)
  for (const fixture of fixtures) {
    form.append('file', new Blob([readFileSync(fixturePath(fixture))]), fixture)
  }
  if (fields.name !== undefined) form.append('name', fields.name)
  return app.inject({ method: 'POST', url: '/api/runs', payload: form })
}

/** Uploads a fixture that must be accepted; returns the created run. */
export async function uploadRun(app: FastifyInstance, fixture: string, name?: string) {
  const response = await upload(app, fixturePath(fixture), { name })
  if (response.statusCode !== 201) throw new Error(`upload failed: ${response.body}`)
  return response.json() as { id: string; name: string; createdAt: string; url: string }
}

/** Every file under DATA_DIR/runs and DATA_DIR/tmp, relative: a failed upload adds none. */
export async function listDataFiles(dataDir: string): Promise<string[]> {
  const entries = await Promise.all(
    ['runs', 'tmp'].map(async (sub) =>
      (await readdir(path.join(dataDir, sub), { recursive: true })).map((entry) =>
        path.join(sub, entry),
      ),
    ),
  )
  return entries.flat().sort()
}
