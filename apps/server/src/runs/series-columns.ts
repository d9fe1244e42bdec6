import type { SeriesFunctions } from '@profhub/profile'
import type { SeriesColumns } from './run-store.ts'

/**
 * A series row as both stores read it (arrays, not objects): the run's id (or null where the
 * query is of one run), key id, line, ncalls, primitive calls, tottime, cumtime.
 */
export type SeriesRawRow = [string | null, number, number, number, number, number, number]

/** One run's rows in columns, each filled in one pass. */
export function columnsOf(rows: readonly SeriesRawRow[]): SeriesColumns {
  const column = (at: number) => {
    const values = new Array<number>(rows.length)
    for (let i = 0; i < rows.length; i++) values[i] = rows[i]![at] as number
    return values
  }
  return {
    keyIds: column(1),
    line: column(2),
    ncalls: column(3),
    primitiveCalls: column(4),
    tottime: column(5),
    cumtime: column(6),
  }
}

/** Rows of several runs (each with its run's id), in columns per run. */
export function columnsByRun(rows: readonly SeriesRawRow[]): Map<string, SeriesColumns> {
  const byRun = new Map<string, SeriesRawRow[]>()
  for (const row of rows) {
    const runRows = byRun.get(row[0]!)
    if (runRows === undefined) byRun.set(row[0]!, [row])
    else runRows.push(row)
  }
  return new Map([...byRun].map(([runId, runRows]) => [runId, columnsOf(runRows)]))
}

/**
 * A run's rows as one blob, for reading every row of a run at once (`/api/series/changes`
 * reads 30 runs of 20,000 rows: as rows that is 0.6–0.8 s of building values in SQLite and
 * more in PostgreSQL; as blobs, a copy). Six float64 columns one after the other: key ids,
 * lines, ncalls, primitive calls, tottime, cumtime, little-endian (every platform Node runs
 * on here; a blob another byte order wrote would read as garbage, so it is checked).
 */
export function packSeriesColumns(keyIds: readonly number[], series: SeriesFunctions): Buffer {
  const count = keyIds.length
  const packed = new Float64Array(1 + 6 * count)
  packed[0] = count
  const columns = [
    keyIds,
    series.line,
    series.ncalls,
    series.primitiveCalls,
    series.tottime,
    series.cumtime,
  ]
  columns.forEach((column, c) => packed.set(column, 1 + c * count))
  return Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength)
}

/** The columns of a `packSeriesColumns` blob. */
export function unpackSeriesColumns(blob: Uint8Array): SeriesColumns {
  // A copy: the blob's bytes need not be aligned for a Float64Array.
  const packed = new Float64Array(
    blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength),
  )
  const count = packed[0]!
  if (!Number.isInteger(count) || packed.length !== 1 + 6 * count) {
    throw new Error('a packed series blob does not hold what its header says')
  }
  const column = (c: number) => Array.from(packed.subarray(1 + c * count, 1 + (c + 1) * count))
  return {
    keyIds: column(0),
    line: column(1),
    ncalls: column(2),
    primitiveCalls: column(3),
    tottime: column(4),
    cumtime: column(5),
  }
}
