import { readFileSync } from 'node:fs'
import { fixturePath } from '@profhub/fixtures'
import { describe, expect, it } from 'vitest'
import { loadSources } from '../../../scripts/fuzz/common.ts'
import { scanMarshal } from '../../../scripts/fuzz/marshal-scan.ts'
import { buildMutant, MUTATION_NAMES } from '../../../scripts/fuzz/mutate.ts'
import { parseFuzzOptions } from '../../../scripts/fuzz/options.ts'
import { formatFuzzResult, runFuzz } from '../../../scripts/fuzz/run-fuzz.ts'

// A fixed slice of `pnpm fuzz` (scripts/fuzz): the same mutants every run, through the real
// shim and the real compiled server (`pnpm build` first). A failure names the seed and mutant;
// `pnpm fuzz --seed 2026 --count 300 --http-count 40` reproduces it and writes the file.
const SLICE = ['--seed', '2026', '--count', '300', '--http-count', '40', '--time-limit', '60']

describe('fuzz slice', () => {
  it('the mutator is deterministic and reaches inside the marshal data', () => {
    const sources = loadSources()
    const a = buildMutant(sources, 2026, 17)
    expect(buildMutant(sources, 2026, 17)).toEqual(a)
    expect(buildMutant(sources, 2027, 17).recipe).not.toBe(a.recipe)
    // The marshal-aware mutations need the scan to walk a whole real profile, of any version.
    for (const name of ['rules-py3.11.prof', 'tokenizer-py2.7.prof', 'jsondoc-yappi.prof']) {
      const data = new Uint8Array(readFileSync(fixturePath(name)))
      const scan = scanMarshal(data)
      expect(scan.nodes[0]!.end, name).toBe(data.length)
    }
    const kinds = new Set<string>()
    for (let i = 0; i < 1000; i++) {
      for (const step of buildMutant(sources, 2026, i).recipe.split(': ')[1]!.split(', ')) {
        kinds.add(/^[a-zA-Z]+/.exec(step)![0])
      }
    }
    // Every kind of mutation finds something to change in the slice's first mutants.
    expect([...kinds].sort()).toEqual([...MUTATION_NAMES].sort())
  })

  it('300 shim mutants and 40 uploads: no bug, hang, 5xx or leftover', async () => {
    const options = parseFuzzOptions(SLICE)
    if (typeof options === 'string') throw new Error(options)
    const result = await runFuzz({ ...options, findingsDir: undefined })
    const report = formatFuzzResult(result, options)
    expect(
      result.findings.map((f) => `${f.mutant.index} ${f.outcome}`),
      report,
    ).toEqual([])
    expect(result.leftovers, report).toEqual([])
    // Every mutant was accounted for, and the slice is not one-sided.
    const sum = (tally: Record<string, number>) => Object.values(tally).reduce((a, b) => a + b)
    expect(sum(result.shim.tally)).toBe(300)
    expect(sum(result.http.tally)).toBe(40)
    expect(result.shim.tally.converted, report).toBeGreaterThan(0)
    expect(result.shim.tally.rejected, report).toBeGreaterThan(0)
    expect(result.http.tally['2xx'], report).toBeGreaterThan(0)
    expect(result.http.tally['400'], report).toBeGreaterThan(0)
  }, 600_000)
})
