/**
 * The shim's fast reader (pstats_fast_reader.py) must give exactly the strict path's document,
 * or give up. Checked on every fixture, and on cut and corrupted copies of one, in one Python
 * process: each file's two documents, as JSON, must be equal whenever the fast reader answers.
 */
import { execFileSync } from 'node:child_process'
import { dirname } from 'node:path'
import { fixturePath, listBadFiles, listProfiles, PYTHON, SHIM } from '@profhub/fixtures'
import { describe, expect, it } from 'vitest'

const COMPARE = `
import json, sys
sys.path.insert(0, sys.argv[1])
from pstats_fast_reader import fast_document
from pstats_to_json import read_stats
from profile_document import build_document

def strict(data):
    try:
        return build_document(read_stats(data))
    except Exception as err:
        return type(err).__name__

def variants(data):
    yield data
    for cut in (1, len(data) // 3, len(data) // 2, len(data) - 1):
        yield data[:cut]
    for at in range(0, len(data), max(1, len(data) // 40)):
        yield data[:at] + bytes([data[at] ^ 0x5A]) + data[at + 1:]

for path in sys.argv[2:]:
    with open(path, "rb") as f:
        data = f.read()
    fast = answered = 0
    for variant in variants(data) if path.endswith("recursion-py3.11.prof") else [data]:
        doc = fast_document(variant)
        if doc is None:
            continue
        answered += 1
        same = json.dumps(doc, sort_keys=True) == json.dumps(strict(variant), sort_keys=True)
        fast += same
    print(json.dumps({"path": path, "answered": answered, "same": fast}))
`

describe('the fast reader', () => {
  it('answers exactly as the strict path on every fixture, or gives up', () => {
    const files = [...listProfiles(), ...listBadFiles()].map(fixturePath)
    const out = execFileSync(PYTHON, ['-c', COMPARE, dirname(SHIM), ...files], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 120_000,
    })
    const results = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { path: string; answered: number; same: number })
    expect(results).toHaveLength(files.length)
    for (const { path, answered, same } of results) expect(same, path).toBe(answered)
    // It is the path most files take (plain Python 3 cProfile), and no bad file gets through it.
    const fast = results.filter((r) => r.answered > 0).map((r) => r.path)
    expect(fast.length).toBeGreaterThan(40)
    expect(fast.filter((path) => listBadFiles().some((bad) => path.endsWith(bad)))).toEqual([])
  })
})
