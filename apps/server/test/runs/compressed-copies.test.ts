import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { brotliDecompressSync } from 'node:zlib'
import { fixturePath } from '@profhub/fixtures'
import { describe, expect, it, onTestFinished } from 'vitest'
import { acceptsBrotli, CompressedCopies } from '../../src/runs/compressed-copies.ts'

describe('acceptsBrotli', () => {
  it.each([
    ['br', true],
    ['gzip, deflate, br, zstd', true],
    ['BR;q=0.5', true],
    ['gzip', false],
    ['br;q=0', false],
    ['br;q=0.0, gzip', false],
    ['brotli', false],
    ['', false],
    [undefined, false],
  ])('%j → %s', (header, accepted) => {
    expect(acceptsBrotli(header)).toBe(accepted)
  })
})

describe('CompressedCopies', () => {
  it('makes the copies of a burst one child process at a time, each a faithful copy', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'profhub-copies-'))
    onTestFinished(() => rm(dir, { recursive: true, force: true }))
    const scratch = path.join(dir, 'scratch')
    await mkdir(scratch)
    const source = await readFile(fixturePath('large-20k.prof'))
    const files = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const file = path.join(dir, `profile-${i}.prof`)
        await writeFile(file, source)
        return file
      }),
    )

    const copies = new CompressedCopies(scratch)
    for (const file of files) copies.make(file)
    // Count the compressing children of this process while the burst is made.
    let most = 0
    let done = false
    const settled = copies.settle().then(() => (done = true))
    while (!done) {
      most = Math.max(most, await countChildren())
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    await settled

    expect(most).toBe(1)
    for (const file of files) {
      const copy = await readFile(CompressedCopies.pathOf(file))
      expect(brotliDecompressSync(copy).equals(source)).toBe(true)
    }
    expect(await readdir(scratch)).toEqual([])
  })
})

/** Processes below this one (started by its process launcher) that are compressing (Linux /proc). */
async function countChildren(): Promise<number> {
  const parents = new Map<number, number>()
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '')
    // pid (comm) state ppid …: comm may hold spaces, so read after the last ')'.
    parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
  }
  const below = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) {
      if (p === process.pid) return true
    }
    return false
  }
  let count = 0
  for (const pid of parents.keys()) {
    if (!below(pid)) continue
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
    if (cmdline.includes('createBrotliCompress')) count += 1
  }
  return count
}
