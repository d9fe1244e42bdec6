/**
 * Names and paths come back exactly as the profile stored them, whatever they hold: lone
 * surrogates (which Python 3 keeps in a str and marshal stores) are JSON escapes in every
 * answer, never U+FFFD.
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PYTHON } from '@profhub/fixtures'
import { readProfileDocument, type StatRow } from '@profhub/profile'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build, upload } from '../../../helper.ts'

let dir: string
let file: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'profhub-names-'))
  file = path.join(dir, 'surrogates.prof')
  // written by Python's own marshal, as pstats.dump_stats would
  execFileSync(PYTHON, [
    '-c',
    'import marshal, sys\n' +
      "k = ('/app/\\udc80x.py', 1, 'f\\ud800y')\n" +
      "g = ('/app/\\udc80x.py', 9, 'g\\udfff')\n" +
      'stats = {k: (1, 1, 0.5, 1.0, {g: (1, 1, 0.5, 1.0)}), g: (1, 1, 0.5, 1.5, {})}\n' +
      'open(sys.argv[1], "wb").write(marshal.dumps(stats))',
    file,
  ])
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('names as stored', () => {
  it('keeps lone surrogates in /stats, /profile and the run', async () => {
    const { app } = await build()
    const uploaded = await upload(app, file)
    expect(uploaded.statusCode, uploaded.body).toBe(201)
    const { id } = uploaded.json() as { id: string }

    const stats = await app.inject(`/api/runs/${id}/stats?sort=name`)
    expect(stats.statusCode).toBe(200)
    expect(stats.body).toContain('"name":"f\\ud800y"')
    const rows: StatRow[] = stats.json().rows
    expect(rows.map((row) => [row.file, row.name])).toEqual([
      ['/app/\udc80x.py', 'f\ud800y'],
      ['/app/\udc80x.py', 'g\udfff'],
    ])

    const profile = await app.inject(`/api/runs/${id}/profile`)
    const doc = readProfileDocument(profile.json())
    expect(doc.functions.map((f) => f.name).sort()).toEqual(['f\ud800y', 'g\udfff'])
    expect(doc.edges).toHaveLength(1)
  })
})
