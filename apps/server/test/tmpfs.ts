import { execFileSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { onTestFinished } from 'vitest'

/**
 * A fresh tmpfs of `sizeMb` on a temp folder, unmounted after the test: a real file system
 * that really fills up (ENOSPC), without filling the machine's disk. Needs root (or
 * CAP_SYS_ADMIN); without it the test fails saying so.
 */
export async function mountTmpfs(sizeMb: number): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'profhub-tmpfs-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw new Error(
      `could not mount a ${sizeMb} MB tmpfs on ${dir}: these tests fill a small real file system and need root (run them as root, or in a container with CAP_SYS_ADMIN): ${String(error)}`,
    )
  }
  onTestFinished(async () => {
    execFileSync('umount', ['--lazy', dir])
    await rm(dir, { recursive: true, force: true })
  })
  return dir
}
