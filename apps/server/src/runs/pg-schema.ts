import type pg from 'pg'

// The PostgreSQL store's schema, versioned in `schema_migrations` (one row per step applied).
// Several servers may share one database and start together: the steps run under a
// session-level advisory lock, so that exactly one of them upgrades and the others wait, then
// find the work done. Each step is a transaction of its own; a newer version than this server
// knows is refused rather than misread.
//
// Text the clients send (names, notes, labels, file names) is stored as `json` strings: a
// PostgreSQL `text` cannot hold U+0000, which a name or a note may contain, while a `json`
// value keeps it escaped. For the same reason nothing is cast to jsonb, nor read with
// json_each (both fail on an escaped U+0000): the label filter matches `label_pairs`, each
// label as JSON text. Sorting and searching
// by name use byte strings computed by the server (`name_sort`, `name_folded`, see
// pg-run-store.ts), which compare like SQLite's NOCASE and JavaScript's toLowerCase.

export const PG_SCHEMA_VERSION = 2

/** Taken by every server while it migrates (an arbitrary constant: "prof" in ASCII). */
export const MIGRATION_LOCK = 0x70726f66

/** MIGRATIONS[n] upgrades version n to n + 1. */
const MIGRATIONS: string[] = [
  // 0 → 1: runs (the fields of SQLite's schema 4), uploads in progress, and blobs in chunks.
  `
  CREATE TABLE runs (
    id text COLLATE "C" PRIMARY KEY,
    name json NOT NULL,
    -- UTF-8 of the name with A-Z folded to a-z: sorts like SQLite's NOCASE (byte order).
    name_sort bytea NOT NULL,
    -- UTF-8 of the name's toLowerCase(): q is a substring of it.
    name_folded bytea NOT NULL,
    created_at timestamptz NOT NULL,
    source_format text NOT NULL,
    summary json NOT NULL,
    total_time double precision NOT NULL,
    file_name json NOT NULL,
    file_size bigint NOT NULL,
    python_version json,
    note json NOT NULL DEFAULT '""',
    -- [{fileName, fileSize}, …] in upload order.
    source_files json NOT NULL,
    -- {KEY: VALUE} in the order sent.
    labels json NOT NULL DEFAULT '{}',
    -- The same labels as JSON texts '["KEY","VALUE"]', for the label filter (a GIN index).
    label_pairs text[] NOT NULL DEFAULT '{}',
    -- As uploaded; NULL: guessed from the profile when answering.
    environment json,
    has_memory boolean NOT NULL DEFAULT false,
    -- The paths runs/<id>/source.json holds.
    source_paths json NOT NULL DEFAULT '[]'
  );
  CREATE UNIQUE INDEX runs_by_created ON runs (created_at, id);
  CREATE INDEX runs_by_name ON runs (name_sort, id);
  CREATE INDEX runs_by_total_time ON runs (total_time, id);
  CREATE INDEX runs_by_label ON runs USING gin (label_pairs);
  -- A run whose blobs are being put: written before the first blob, deleted in the
  -- transaction that inserts the run. An entry left behind names garbage blobs.
  CREATE TABLE pending_runs (
    id text COLLATE "C" PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now()
  );
  -- PgBlobs (pg-blobs.ts): a blob is its row plus chunks 0 … chunks - 1.
  CREATE TABLE blobs (
    key text COLLATE "C" PRIMARY KEY,
    size bigint NOT NULL,
    chunks integer NOT NULL
  );
  CREATE TABLE blob_chunks (
    key text COLLATE "C" NOT NULL,
    seq integer NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (key, seq)
  );
  `,
  // 1 → 2: series (pg-series.ts), as SQLite's schema 5. Keys are unique by their SHA-256: a
  // key (a path and a name from the profile) can be longer than a btree entry may be. Numbers
  // are float8: any JavaScript number the document holds (lines and counts included) comes
  // back exactly. Older runs get their rows from the backfill (series_stored false until then).
  `
  CREATE TABLE series_keys (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_hash bytea NOT NULL UNIQUE,
    -- A seriesKeyOf text: JSON, so no U+0000.
    key text NOT NULL
  );
  CREATE TABLE series_rows (
    key_id integer NOT NULL,
    run_id text COLLATE "C" NOT NULL,
    line double precision NOT NULL,
    ncalls double precision NOT NULL,
    primitive_calls double precision NOT NULL,
    tottime double precision NOT NULL,
    cumtime double precision NOT NULL,
    -- Run first: a run's rows are inserted, read and deleted together, and one key across
    -- runs is one probe per run.
    PRIMARY KEY (run_id, key_id, line)
  );
  -- The same rows as one blob per run (series-columns.ts), for reading all of a run's.
  CREATE TABLE series_packed (
    run_id text COLLATE "C" PRIMARY KEY,
    data bytea NOT NULL
  );
  -- A folder of the profile's paths: json, as other text from a profile.
  ALTER TABLE runs ADD COLUMN series_root json;
  ALTER TABLE runs ADD COLUMN series_stored boolean NOT NULL DEFAULT false;
  CREATE INDEX runs_without_series ON runs (created_at) WHERE NOT series_stored;
  `,
]

/** Brings the database to PG_SCHEMA_VERSION; throws for a newer one. */
export async function migratePg(pool: pg.Pool): Promise<void> {
  const client = await pool.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
    try {
      await client.query(`
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version integer PRIMARY KEY,
          applied_at timestamptz NOT NULL DEFAULT now()
        )`)
      const { rows } = await client.query<{ version: number | null }>(
        'SELECT max(version) AS version FROM schema_migrations',
      )
      const version = rows[0]?.version ?? 0
      if (version > PG_SCHEMA_VERSION) {
        throw new Error(
          `DATABASE_URL's database was written by a newer profhub (schema ${version}, this one knows ${PG_SCHEMA_VERSION})`,
        )
      }
      for (let from = version; from < PG_SCHEMA_VERSION; from += 1) {
        await client.query('BEGIN')
        try {
          await client.query(MIGRATIONS[from]!)
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [from + 1])
          await client.query('COMMIT')
        } catch (error) {
          await client.query('ROLLBACK')
          throw error
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK])
    }
  } finally {
    client.release()
  }
}
