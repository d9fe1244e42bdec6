#!/usr/bin/env bash
# The server's tests run the PostgreSQL backend against a real, throwaway PostgreSQL server
# (apps/server/test/services/postgres.ts: initdb + pg_ctl in a temp folder). Installs Debian's
# server package when it is missing and we can; otherwise says exactly what to run.
set -euo pipefail
if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ]; then exit 0; fi
if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "PostgreSQL is missing: installing Debian's postgresql package (about 30 s)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  exit 0
fi
echo "The server's tests need PostgreSQL's initdb and pg_ctl." >&2
echo "Install them with: sudo apt-get install -y postgresql   (or set PG_BIN)" >&2
exit 1
