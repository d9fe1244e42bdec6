import { randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import path from 'node:path'

// Write-then-rename with fsyncs, so that after a crash a file is either complete or absent:
// the data is flushed before the rename, and the directory after it (the rename itself is
// only durable once its directory entry is).

/** Flushes a directory's entries (new names, renames) to disk. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Writes `dir/name` atomically: a temp file in the same directory, fsync, rename. */
export async function writeFileDurably(dir: string, name: string, data: string): Promise<void> {
  const temp = path.join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const handle = await open(temp, 'wx')
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, path.join(dir, name))
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
  await syncDirectory(dir)
}

/** Moves a file (same file system) to `dir/name`, flushing its data first. */
export async function moveFileDurably(from: string, dir: string, name: string): Promise<void> {
  const handle = await open(from, 'r+')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(from, path.join(dir, name))
  await syncDirectory(dir)
}
