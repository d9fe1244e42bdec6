import type Database from 'better-sqlite3'

// The embedded store's schema, versioned in SQLite's `user_version`. A DATA_DIR is upgraded
// one step at a time, each step in its own transaction; a newer version than this server
// knows is refused rather than misread.

export const SCHEMA_VERSION = 5

/** MIGRATIONS[n] upgrades version n to n + 1. */
const MIGRATIONS: ((db: Database.Database) => void)[] = [
  // 0 → 1: the first schema.
  (db) => {
    db.exec(`
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        source_format TEXT NOT NULL,
        summary TEXT NOT NULL,
        file_name TEXT NOT NULL,
        file_size INTEGER NOT NULL,
        python_version TEXT
      ) STRICT;
      CREATE INDEX runs_newest_first ON runs (created_at DESC, id DESC);
    `)
  },
  // 1 → 2: notes; every uploaded file of a run (merged runs have several); sorting by name
  // and by total time (a column of its own: it is inside the summary JSON).
  (db) => {
    db.exec(`
      ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT '';
      -- JSON [{fileName, fileSize}, …] in upload order; NULL: just file_name and file_size.
      ALTER TABLE runs ADD COLUMN source_files TEXT;
      ALTER TABLE runs ADD COLUMN total_time REAL NOT NULL DEFAULT 0;
    `)
    // In JavaScript rather than json_extract(): the same number parser wrote the summary.
    const rows = db.prepare('SELECT id, summary FROM runs').all() as {
      id: string
      summary: string
    }[]
    const setTotal = db.prepare('UPDATE runs SET total_time = ? WHERE id = ?')
    for (const row of rows) {
      setTotal.run((JSON.parse(row.summary) as { totalTime: number }).totalTime, row.id)
    }
    db.exec(`
      CREATE INDEX runs_by_name ON runs (name COLLATE NOCASE, id);
      CREATE INDEX runs_by_total_time ON runs (total_time, id);
    `)
  },
  // 2 → 3: labels sent with the upload, a JSON object {KEY: VALUE}; older runs have none.
  (db) => {
    db.exec(`ALTER TABLE runs ADD COLUMN labels TEXT NOT NULL DEFAULT '{}';`)
  },
  // 3 → 4: what a run ran on (the uploaded environment, JSON; NULL: guessed from the profile
  // when answering), whether runs/<id>/memory.json exists, and the paths runs/<id>/source.json
  // holds (JSON array). Older runs have none of them.
  (db) => {
    db.exec(`
      ALTER TABLE runs ADD COLUMN environment TEXT;
      ALTER TABLE runs ADD COLUMN has_memory INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE runs ADD COLUMN source_paths TEXT NOT NULL DEFAULT '[]';
    `)
  },
  // 4 → 5: series (sqlite-series.ts). Each run's function rows by key id; the key texts once;
  // each label as a row, for finding a series' newest runs by index. Older runs get their
  // labels now and their rows from the backfill (series_stored = 0 until then).
  (db) => {
    db.exec(`
      CREATE TABLE series_keys (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE) STRICT;
      -- Not STRICT: counts are stored as compact integers, yet a fractional one is kept as is.
      CREATE TABLE series_rows (
        key_id INTEGER NOT NULL,
        run_id TEXT NOT NULL,
        line INTEGER NOT NULL,
        ncalls INTEGER NOT NULL,
        primitive_calls INTEGER NOT NULL,
        tottime REAL NOT NULL,
        cumtime REAL NOT NULL,
        -- Run first: a run's rows are inserted, read and deleted together (one range), and
        -- one key across runs is one probe per run. Key first, an upload's rows were spread
        -- over the whole table: slower inserts, and twice as slow to read a run's rows.
        PRIMARY KEY (run_id, key_id, line)
      ) WITHOUT ROWID;
      -- created_at is the run's (it never changes): a series' newest runs are an index range.
      CREATE TABLE run_labels (
        run_id TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (run_id, key)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX run_labels_by_value ON run_labels (key, value, created_at);
      -- The same rows as one blob per run (series-columns.ts), for reading all of a run's.
      CREATE TABLE series_packed (run_id TEXT PRIMARY KEY, data BLOB NOT NULL) STRICT;
      ALTER TABLE runs ADD COLUMN series_root TEXT;
      ALTER TABLE runs ADD COLUMN series_stored INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX runs_without_series ON runs (created_at) WHERE series_stored = 0;
    `)
    // In JavaScript rather than json_each(): the same parser as the upload's labels.
    const runs = db.prepare('SELECT id, labels, created_at FROM runs').all() as {
      id: string
      labels: string
      created_at: string
    }[]
    const insert = db.prepare('INSERT INTO run_labels VALUES (?, ?, ?, ?)')
    for (const run of runs) {
      for (const [key, value] of Object.entries(JSON.parse(run.labels) as Record<string, string>)) {
        insert.run(run.id, key, value, run.created_at)
      }
    }
  },
]

/** Brings the database to SCHEMA_VERSION; throws for a newer one. */
export function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `DATA_DIR was written by a newer profhub (schema ${version}, this one knows ${SCHEMA_VERSION})`,
    )
  }
  for (let from = version; from < SCHEMA_VERSION; from += 1) {
    db.transaction(() => {
      MIGRATIONS[from]!(db)
      db.pragma(`user_version = ${from + 1}`)
    })()
  }
}
