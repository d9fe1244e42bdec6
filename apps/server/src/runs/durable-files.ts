import { open, rename } from 'node:fs/promises'
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

/** Writes `text` as `dir/name` (a new file), flushed; the caller syncs `dir` afterwards. */
export async function writeNewFileDurably(dir: string, name: string, text: string): Promise<void> {
  const handle = await open(path.join(dir, name), 'wx')
  try {
    await handle.writeFile(text, 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
}
