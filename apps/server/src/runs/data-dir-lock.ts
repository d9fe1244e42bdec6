import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'

const LOCK_FILE = 'lock.sqlite'
const PID_FILE = 'server.pid'

/** Another server holds the DATA_DIR; its message is the one line the log shows. */
export class DataDirInUseError extends Error {
  readonly code = 'PROFHUB_DATA_DIR_IN_USE'
}

export interface DataDirLock {
  release: () => void
}

/**
 * Makes this process the only profhub server of `dataDir`, before anything there is touched:
 * the store's start-up deletes unfinished uploads and uncommitted runs, which in a second
 * server would be another server's work in progress. The lock is SQLite's own (an exclusive
 * fcntl lock on `lock.sqlite`), so the OS drops it when the process dies, even by SIGKILL:
 * a crash never leaves a stale lock behind. `server.pid` only names the holder in the message.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true })
  // timeout 0: fail at once rather than wait for a server that may run for weeks.
  const db = new Database(path.join(dataDir, LOCK_FILE), { timeout: 0 })
  try {
    // EXCLUSIVE locking mode keeps the lock of the open write transaction until close.
    db.pragma('locking_mode = EXCLUSIVE')
    db.exec('BEGIN EXCLUSIVE')
  } catch (error) {
    db.close()
    if ((error as { code?: unknown }).code !== 'SQLITE_BUSY') throw error
    throw new DataDirInUseError(
      `DATA_DIR ${dataDir} is in use by another profhub server (pid ${readHolder(dataDir)}). Stop it, or give this one another DATA_DIR.`,
    )
  }
  writeFileSync(path.join(dataDir, PID_FILE), `${process.pid}\n`)
  let held = true
  return {
    release() {
      if (!held) return
      held = false
      db.close()
    },
  }
}

function readHolder(dataDir: string): string {
  try {
    const pid = readFileSync(path.join(dataDir, PID_FILE), 'utf8').trim()
    return /^\d+$/.test(pid) ? pid : 'unknown'
  } catch {
    return 'unknown'
  }
}
