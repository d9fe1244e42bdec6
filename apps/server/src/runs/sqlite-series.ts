import type Database from 'better-sqlite3'
import type { SeriesFunctions } from '@profhub/profile'
import type { SeriesColumns } from './run-store.ts'
import {
  columnsByRun,
  packSeriesColumns,
  unpackSeriesColumns,
  type SeriesRawRow,
} from './series-columns.ts'
import type { RunRow } from './sqlite-rows.ts'

// The embedded store's series tables (schema 5, sqlite-schema.ts): the SQL of SqliteRunStore's
// series methods. Every method is synchronous, so that the store can call it inside the
// transaction that inserts or deletes the run (the run's row stays the commit point).
//
// Sizes (measured on fixtures/profiles/large-20k.prof): a run of 20,000 functions adds 20,000
// rows, 1.2 MB; its key texts take 1.75 MB once per store, shared by every run that has them.

/** Prepares a statement once (the store's cache). */
export type PrepareStatement = (sql: string) => Database.Statement

/** A run's row with its series columns (schema 5). */
export type SeriesRunRow = RunRow & { series_root: string | null }

export class SqliteSeries {
  readonly #statement: PrepareStatement

  constructor(statement: PrepareStatement) {
    this.#statement = statement
  }

  /** Adds the run's labels (what `listRuns` finds runs by); inside the run's insert transaction. */
  insertLabels(runId: string, createdAt: string, labels: Record<string, string>): void {
    const insert = this.#statement('INSERT INTO run_labels VALUES (?, ?, ?, ?)')
    for (const [key, value] of Object.entries(labels)) insert.run(runId, key, value, createdAt)
  }

  /**
   * Stores the run's rows, adding the keys the store has not seen. A key is looked up first
   * and inserted only when absent: the runs of a series share nearly all their keys, so most
   * cost one indexed lookup.
   */
  insertRows(runId: string, series: SeriesFunctions): void {
    const keyIds = new Array<number>(series.keys.length)
    this.insertRowRange(runId, series, keyIds, 0, series.keys.length)
    this.insertPacked(runId, keyIds, series)
  }

  /**
   * Rows `from` to `to` (excluded) of the run, their key ids written into `keyIds`: a step of
   * `insertRows`, for a run whose rows are stored a transaction at a time before the run.
   */
  insertRowRange(
    runId: string,
    series: SeriesFunctions,
    keyIds: number[],
    from: number,
    to: number,
  ): void {
    const find = this.#statement('SELECT id FROM series_keys WHERE key = ?').pluck()
    const add = this.#statement('INSERT INTO series_keys (key) VALUES (?)')
    const insert = this.#statement(
      `INSERT INTO series_rows (key_id, run_id, line, ncalls, primitive_calls, tottime, cumtime)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    for (let i = from; i < to; i++) {
      const key = series.keys[i]!
      const id = (find.get(key) as number | undefined) ?? Number(add.run(key).lastInsertRowid)
      keyIds[i] = id
      insert.run(
        id,
        runId,
        series.line[i],
        series.ncalls[i],
        series.primitiveCalls[i],
        series.tottime[i],
        series.cumtime[i],
      )
    }
  }

  /**
   * Marks a run whose rows are being stored before its `runs` row: an empty packed copy, which
   * `insertPacked` fills in the run's own transaction. A marked run without a `runs` row (the
   * server stopped, or the upload failed, in between) is one of `unfinishedRuns`.
   */
  markUnfinished(runId: string): void {
    this.#statement("INSERT INTO series_packed VALUES (?, x'')").run(runId)
  }

  /** The run's packed copy of its rows (see `packSeriesColumns`). */
  insertPacked(runId: string, keyIds: readonly number[], series: SeriesFunctions): void {
    this.#statement('INSERT OR REPLACE INTO series_packed VALUES (?, ?)').run(
      runId,
      packSeriesColumns(keyIds, series),
    )
  }

  /** Runs whose rows were being stored when their upload ended without a `runs` row. */
  unfinishedRuns(): string[] {
    return this.#statement(
      'SELECT run_id FROM series_packed WHERE run_id NOT IN (SELECT id FROM runs)',
    )
      .pluck()
      .all() as string[]
  }

  /** Removes the run's rows and labels (the keys stay: other runs may share them). */
  deleteRun(runId: string): void {
    this.#statement('DELETE FROM series_rows WHERE run_id = ?').run(runId)
    this.#statement('DELETE FROM series_packed WHERE run_id = ?').run(runId)
    this.#statement('DELETE FROM run_labels WHERE run_id = ?').run(runId)
  }

  /** The newest `limit` runs with the label, newest first (the label's index, then the rows). */
  listRuns([key, value]: [string, string], limit: number): SeriesRunRow[] {
    return this.#statement(
      `SELECT runs.* FROM run_labels JOIN runs ON runs.id = run_labels.run_id
       WHERE run_labels.key = ? AND run_labels.value = ?
       ORDER BY run_labels.created_at DESC LIMIT ?`,
    ).all(key, value, limit) as SeriesRunRow[]
  }

  /** The rows of `keys` in these runs (`RunStore.readSeriesRows` with keys). */
  readKeyRows(runIds: readonly string[], keys: readonly string[]): Map<string, SeriesColumns> {
    const find = this.#statement('SELECT id FROM series_keys WHERE key = ?').pluck()
    const keyIds = keys.map((key) => find.get(key) as number | undefined)
    const known = keyIds.filter((id) => id !== undefined)
    if (known.length === 0 || runIds.length === 0) return new Map()
    // Arrays as one JSON parameter each: no limit on their length, one statement text. Each
    // (run, key) pair is a range of the primary key.
    const rows = this.#statement(
      `SELECT run_id, key_id, line, ncalls, primitive_calls, tottime, cumtime FROM series_rows
       WHERE run_id IN (SELECT value FROM json_each(?))
         AND key_id IN (SELECT value FROM json_each(?))`,
    )
      .raw(true)
      .all(JSON.stringify(runIds), JSON.stringify(known)) as SeriesRawRow[]
    return columnsByRun(rows)
  }

  /** Every row of one run (its packed copy: see `packSeriesColumns`), or null if it has none. */
  readRunRows(runId: string): SeriesColumns | null {
    const blob = this.#statement('SELECT data FROM series_packed WHERE run_id = ?')
      .pluck()
      .get(runId) as Buffer | undefined
    return blob === undefined ? null : unpackSeriesColumns(blob)
  }

  /** See `RunStore.readSeriesKeys`. */
  readKeys(keyIds: readonly number[]): Map<number, string> {
    const rows = this.#statement(
      'SELECT id, key FROM series_keys WHERE id IN (SELECT value FROM json_each(?))',
    )
      .raw(true)
      .iterate(JSON.stringify(keyIds)) as IterableIterator<[number, string]>
    return new Map(rows)
  }

  /** Ids of up to `limit` runs stored before their rows were (oldest first). */
  runsWithoutRows(limit: number): string[] {
    return this.#statement(
      'SELECT id FROM runs WHERE series_stored = 0 ORDER BY created_at LIMIT ?',
    )
      .pluck()
      .all(limit) as string[]
  }

  /**
   * Stores the rows of a run stored before them, and marks it; false if the run is gone or
   * already has its rows.
   */
  storeLater(runId: string, series: SeriesFunctions): boolean {
    const { changes } = this.#statement(
      'UPDATE runs SET series_root = ?, series_stored = 1 WHERE id = ? AND series_stored = 0',
    ).run(series.root, runId)
    if (changes === 0) return false
    this.insertRows(runId, series)
    return true
  }
}
