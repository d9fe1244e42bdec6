/**
 * Series queries at the size a team's CI reaches: `runs` uploads of one 20k-function program
 * (variants of one generated profile: every function's times scaled by ±5 % noise, one function
 * three times slower from run `runs - 5` on), labelled like CI runs, then each series query
 * timed over HTTP against the real server, cold (first) and warm (median of the rest).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PYTHON } from './profiles.ts'
import { median } from './stats.ts'

// Writes `count` variants of a pstats file: the same functions and edges, times scaled.
const MAKE_VARIANTS = `
import marshal, random, sys
base, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(base, 'rb') as f:
    stats = marshal.load(f)
keys = sorted(stats, key=lambda k: -stats[k][2])
slow_key = keys[0]  # the heaviest by own time
random.seed(1)
for i in range(count):
    scaled = {}
    for key, (cc, nc, tt, ct, callers) in stats.items():
        factor = random.uniform(0.95, 1.05)
        extra = 2 * tt if key == slow_key and i >= count - 5 else 0
        scaled[key] = (cc, nc, tt * factor + extra, ct * factor + extra, callers)
    with open('%s/run-%04d.prof' % (out, i), 'wb') as f:
        marshal.dump(scaled, f)
print('%s:%d(%s)' % slow_key)
`

export interface SeriesTimings {
  runs: number
  functions: number
  uploadMs: number[]
  series: { cold: number; warm: number }
  function: { cold: number; warm: number }
  changes: { cold: number; warm: number; found: string[] }
  slowFunction: string
}

export async function measureSeries(
  origin: string,
  baseProfile: string,
  runs: number,
  functions: number,
  times: number,
  progress: (text: string) => void,
): Promise<SeriesTimings> {
  const dir = mkdtempSync(join(tmpdir(), 'profhub-bench-series-'))
  try {
    const slowFunction = execFileSync(PYTHON, ['-c', MAKE_VARIANTS, baseProfile, dir, String(runs)])
      .toString()
      .trim()
    const label = `project=bench-series-${Date.now()}`
    const uploadMs: number[] = []
    for (const [i, file] of readdirSync(dir).sort().entries()) {
      if (i % 50 === 0) progress(`series: uploading run ${i + 1} of ${runs}…`)
      const form = new FormData()
      form.append('file', new Blob([readFileSync(join(dir, file))]), file)
      form.append('label', label)
      form.append(
        'label',
        `commit-time=${new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString()}`,
      )
      const start = performance.now()
      const response = await fetch(`${origin}/api/runs`, { method: 'POST', body: form }).catch(
        (error: unknown) => {
          const code = (error as { cause?: { code?: string } }).cause?.code ?? 'no code'
          throw new Error(`upload ${i + 1} of ${runs} failed: ${String(error)} (${code})`, {
            cause: error,
          })
        },
      )
      uploadMs.push(performance.now() - start)
      if (response.status !== 201) throw new Error(`series upload: ${await response.text()}`)
    }
    const q = encodeURIComponent(label)
    const [, file, line, name] = /^(.*):(\d+)\((.*)\)$/.exec(slowFunction)!
    const timed = async (url: string) => {
      const all: number[] = []
      let body: unknown
      for (let i = 0; i < Math.max(times, 2); i++) {
        const start = performance.now()
        const response = await fetch(`${origin}${url}`)
        body = await response.json()
        all.push(performance.now() - start)
        if (!response.ok) throw new Error(`${url}: ${JSON.stringify(body)}`)
      }
      return { cold: all[0]!, warm: median(all.slice(1)), body }
    }
    const series = await timed(`/api/series?label=${q}`)
    const fn = await timed(
      `/api/series/function?label=${q}&file=${encodeURIComponent(file!)}&line=${line}&name=${encodeURIComponent(name!)}`,
    )
    const changes = await timed(`/api/series/changes?label=${q}`)
    const found = (changes.body as { changes: { name: string; direction: string }[] }).changes.map(
      (c) => `${c.name} ${c.direction}`,
    )
    return {
      runs,
      functions,
      uploadMs,
      series,
      function: fn,
      changes: { cold: changes.cold, warm: changes.warm, found },
      slowFunction,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
