import type { Run, RunEnvironment, SourceFile } from '@profhub/api'
import type { RunListOptions, RunPosition } from './run-store.ts'

/** A row of the `runs` table (sqlite-schema.ts), as better-sqlite3 reads it. */
export interface RunRow {
  id: string
  name: string
  created_at: string
  source_format: string
  summary: string
  file_name: string
  file_size: number
  python_version: string | null
  note: string
  source_files: string | null
  total_time: number
  labels: string
  /** JSON, as uploaded; null: guessed from the profile. */
  environment: string | null
  has_memory: number
  /** JSON array of the paths in source.json. */
  source_paths: string
}

/** Where a row is in the list sorted by `sort`: the cursor's key. */
export function positionOf(row: RunRow, sort: RunListOptions['sort']): RunPosition {
  const key = sort === 'name' ? row.name : sort === 'totalTime' ? row.total_time : row.created_at
  return { key, id: row.id }
}

export function toRun(row: RunRow): Run {
  const files: SourceFile[] =
    row.source_files === null
      ? [{ fileName: row.file_name, fileSize: row.file_size }]
      : (JSON.parse(row.source_files) as SourceFile[])
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    sourceFormat: row.source_format as Run['sourceFormat'],
    summary: JSON.parse(row.summary) as Run['summary'],
    source: {
      fileName: row.file_name,
      fileSize: row.file_size,
      pythonVersion: row.python_version,
      files,
    },
    note: row.note,
    labels: JSON.parse(row.labels) as Run['labels'],
    environment:
      row.environment === null
        ? guessEnvironment(row.source_format, row.python_version)
        : (JSON.parse(row.environment) as RunEnvironment),
    hasMemory: row.has_memory === 1,
    sourceFiles: JSON.parse(row.source_paths) as string[],
  }
}

/**
 * What the server knows of a run uploaded without an environment (a plain .prof, or a run
 * stored before environments existed): the Python version the profile tells, if any, and the
 * profiler that wrote it.
 */
export function guessEnvironment(
  sourceFormat: string,
  pythonVersion: string | null,
): RunEnvironment {
  return {
    formatVersion: 1,
    python: { version: pythonVersion },
    profiler: { name: sourceFormat },
    guessed: true,
  }
}
