import { createHash } from 'node:crypto'
import type pg from 'pg'
import type { SeriesFunctions } from '@profhub/profile'
import type { SeriesColumns } from './run-store.ts'
import {
  columnsByRun,
  packSeriesColumns,
  unpackSeriesColumns,
  type SeriesRawRow,
} from './series-columns.ts'
import type { RunRow } from './sqlite-rows.ts'

// The PostgreSQL store's series tables (schema 2, pg-schema.ts): the SQL of PgRunStore's
// series methods. Arrays travel as one parameter each (`unnest`), so that a run's 20,000 rows
// are two statements rather than 20,000 round trips.

/** A pool, or a client inside a transaction. */
type Queryable = Pick<pg.ClientBase, 'query'>

/** A run's row with its series columns (schema 2). */
export type SeriesRunRow = RunRow & { series_root: string | null }

/** The column list of a run's row (PgRunStore's RUN_COLUMNS) plus the series root. */
export function seriesRunColumns(runColumns: string): string {
  return `${runColumns}, series_root::text AS series_root`
}

/**
 * Stores a run's rows, adding the keys the database has not seen: inside the transaction that
 * inserts the run's row, or that marks an older run (`storeLater`). Keys are inserted in the
 * order of their hashes, so that two transactions adding the same keys wait for each other
 * rather than deadlock.
 */
export async function insertSeriesRows(
  client: Queryable,
  runId: string,
  series: SeriesFunctions,
): Promise<void> {
  const idOf = await keyIdsOf(client, series.keys, { add: true })
  const keyIds = series.keys.map((key) => idOf.get(key)!)
  await client.query('INSERT INTO series_packed VALUES ($1, $2)', [
    runId,
    packSeriesColumns(keyIds, series),
  ])
  await client.query(
    `INSERT INTO series_rows (key_id, run_id, line, ncalls, primitive_calls, tottime, cumtime)
     SELECT k, $2, l, n, p, t, c
     FROM unnest($1::int[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[])
       AS u(k, l, n, p, t, c)`,
    [
      keyIds,
      runId,
      series.line,
      series.ncalls,
      series.primitiveCalls,
      series.tottime,
      series.cumtime,
    ],
  )
}

/**
 * The ids of these keys; with `add`, keys the database has not seen are added first. Runs of
 * a series share nearly all their keys: they are looked up, and only the others inserted.
 */
async function keyIdsOf(
  client: Queryable,
  keys: readonly string[],
  { add }: { add: boolean },
): Promise<Map<string, number>> {
  const unique = [...new Set(keys)]
  const hashes = unique.map(keyHash)
  const find = () =>
    client.query<[number, number]>({
      text: `SELECT k.id, u.n FROM unnest($1::bytea[]) WITH ORDINALITY AS u(h, n)
             JOIN series_keys k ON k.key_hash = u.h`,
      values: [hashes],
      rowMode: 'array',
    })
  const idOf = new Map<string, number>()
  const remember = (rows: [number, number][]) => {
    for (const [id, n] of rows) idOf.set(unique[n - 1]!, id)
  }
  remember((await find()).rows)
  if (!add || idOf.size === unique.length) return idOf
  const missing = unique.filter((key) => !idOf.has(key))
  await client.query(
    `INSERT INTO series_keys (key_hash, key)
     SELECT h, k FROM unnest($1::bytea[], $2::text[]) AS u(h, k) ORDER BY h
     ON CONFLICT (key_hash) DO NOTHING`,
    [missing.map(keyHash), missing],
  )
  // Again for all: another transaction may have added some of them meanwhile.
  remember((await find()).rows)
  if (idOf.size !== unique.length) throw new Error('series keys went missing')
  return idOf
}

/** The newest `limit` runs with the label, newest first (the `label_pairs` GIN index). */
export async function listSeriesRuns(
  pool: Queryable,
  runColumns: string,
  label: [string, string],
  limit: number,
): Promise<SeriesRunRow[]> {
  // The pair as label_pairs holds it (JSON text), bound as a parameter.
  const { rows } = await pool.query<SeriesRunRow>(
    `SELECT ${seriesRunColumns(runColumns)} FROM runs WHERE label_pairs @> ARRAY[$1]
     ORDER BY created_at DESC, id DESC LIMIT $2`,
    [JSON.stringify(label), limit],
  )
  return rows
}

/** See `RunStore.readSeriesRows`. */
export async function readSeriesRows(
  pool: Queryable,
  runIds: readonly string[],
  keys: readonly string[] | null,
): Promise<Map<string, SeriesColumns>> {
  if (keys === null) return readRunsRows(pool, runIds)
  // The key ids first: with both lists as constants, each (run, key) pair is one probe of the
  // primary key (a join with series_keys was planned as a scan of every row).
  const keyIds = [...(await keyIdsOf(pool, keys, { add: false })).values()]
  if (keyIds.length === 0) return new Map()
  const { rows } = await pool.query<SeriesRawRow>({
    text: `SELECT run_id, key_id, line, ncalls, primitive_calls, tottime, cumtime
           FROM series_rows WHERE run_id = ANY($1::text[]) AND key_id = ANY($2::int[])`,
    values: [runIds, keyIds],
    rowMode: 'array',
  })
  return columnsByRun(rows)
}

/** Every row of these runs: their packed copies (see `packSeriesColumns`). */
async function readRunsRows(
  pool: Queryable,
  runIds: readonly string[],
): Promise<Map<string, SeriesColumns>> {
  const { rows } = await pool.query<{ run_id: string; data: Buffer }>(
    'SELECT run_id, data FROM series_packed WHERE run_id = ANY($1::text[])',
    [[...new Set(runIds)]],
  )
  return new Map(rows.map((row) => [row.run_id, unpackSeriesColumns(row.data)]))
}

/** See `RunStore.readSeriesKeys`. */
export async function readSeriesKeys(
  pool: Queryable,
  keyIds: readonly number[],
): Promise<Map<number, string>> {
  const { rows } = await pool.query<[number, string]>({
    text: 'SELECT id, key FROM series_keys WHERE id = ANY($1::int[])',
    values: [keyIds],
    rowMode: 'array',
  })
  return new Map(rows)
}

/** Ids of up to `limit` runs stored before their rows were (oldest first). */
export async function listRunsWithoutSeries(pool: Queryable, limit: number): Promise<string[]> {
  const { rows } = await pool.query<[string]>({
    text: 'SELECT id FROM runs WHERE NOT series_stored ORDER BY created_at LIMIT $1',
    values: [limit],
    rowMode: 'array',
  })
  return rows.map((row) => row[0])
}

/**
 * Marks an older run and stores its rows, in the caller's transaction; false if the run is gone
 * or has its rows already. The UPDATE locks the run's row: a delete waits for this transaction,
 * then removes the rows it stored (`deleteSeriesRows` after the run's row).
 */
export async function storeLater(
  client: Queryable,
  runId: string,
  series: SeriesFunctions,
): Promise<boolean> {
  const { rowCount } = await client.query(
    `UPDATE runs SET series_root = $2::json, series_stored = true
     WHERE id = $1 AND NOT series_stored`,
    [runId, JSON.stringify(series.root)],
  )
  if (rowCount === 0) return false
  await insertSeriesRows(client, runId, series)
  return true
}

/** Removes the run's rows (the keys stay: other runs may share them). */
export async function deleteSeriesRows(client: Queryable, runId: string): Promise<void> {
  await client.query('DELETE FROM series_rows WHERE run_id = $1', [runId])
  await client.query('DELETE FROM series_packed WHERE run_id = $1', [runId])
}

/** How series_keys finds a key: its text may be longer than a btree entry can be. */
function keyHash(key: string): Buffer {
  return createHash('sha256').update(key).digest()
}
