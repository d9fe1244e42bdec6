// The embedded store's schemas as older servers wrote them, frozen here on purpose: an upgrade
// test must start from what was really on disk, not from today's migration code (which could
// change along with the thing it is meant to test).

/** Schema version 1 (the first). */
export const SCHEMA_1_SQL = `
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
`

/** Schema version 2: notes, every uploaded file, sorting by name and total time. */
export const SCHEMA_2_SQL = `${SCHEMA_1_SQL}
  ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT '';
  ALTER TABLE runs ADD COLUMN source_files TEXT;
  ALTER TABLE runs ADD COLUMN total_time REAL NOT NULL DEFAULT 0;
  CREATE INDEX runs_by_name ON runs (name COLLATE NOCASE, id);
  CREATE INDEX runs_by_total_time ON runs (total_time, id);
`

/** Schema version 3: labels. */
export const SCHEMA_3_SQL = `${SCHEMA_2_SQL}
  ALTER TABLE runs ADD COLUMN labels TEXT NOT NULL DEFAULT '{}';
`

/** Schema version 4: environment, memory and source parts. */
export const SCHEMA_4_SQL = `${SCHEMA_3_SQL}
  ALTER TABLE runs ADD COLUMN environment TEXT;
  ALTER TABLE runs ADD COLUMN has_memory INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE runs ADD COLUMN source_paths TEXT NOT NULL DEFAULT '[]';
`
