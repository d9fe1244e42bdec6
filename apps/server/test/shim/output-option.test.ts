import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fixturePath, PYTHON, runShim, SHIM } from '@profhub/fixtures'
import { afterAll, describe, expect, it } from 'vitest'

const dir = mkdtempSync(join(tmpdir(), 'profhub-output-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function shim(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(PYTHON, ['-I', SHIM, ...args], (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    )
  })
}

describe('pstats_to_json.py --output', () => {
  it('writes to the file exactly what it would print', async () => {
    const output = join(dir, 'recursion.json')
    const written = await shim(['--output', output, fixturePath('recursion-py3.11.prof')])
    expect(written).toEqual({ code: 0, stdout: '', stderr: '' })
    const printed = await runShim(fixturePath('recursion-py3.11.prof'))
    expect(readFileSync(output, 'utf8')).toBe(printed.stdout)
  })

  it('leaves no file behind for a file that is not a profile', async () => {
    const output = join(dir, 'truncated.json')
    const result = await shim(['--output', output, fixturePath('bad_truncated.prof')])
    expect(result.code).toBe(2)
    expect(existsSync(output)).toBe(false)
  })
})
