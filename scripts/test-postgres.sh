#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (and CI): starts it if it is not running and prints
# the URL of its `postgres` database, e.g. postgres://postgres@%2Ftmp:55432/postgres. Tests create
# one database per test app from there (server/db/pg-test-databases.ts). Root cannot run postgres,
# so the cluster belongs to the postgres user. Prints nothing and exits 1 when PostgreSQL is not
# installed. `stop` as first argument stops the cluster.
set -euo pipefail

DATA=${STILLHERE_PG_DATA:-/tmp/stillhere-pg}
PORT=${STILLHERE_PG_PORT:-55432}
SOCKETS=/tmp

bin=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_ctl" ] && bin=$d; done
if [ -z "$bin" ] && command -v pg_ctl >/dev/null; then bin=$(dirname "$(command -v pg_ctl)"); fi
[ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install -y postgresql)" >&2; exit 1; }

run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }

if [ "${1:-}" = stop ]; then
  run "$bin/pg_ctl -D $DATA -m fast stop" >&2 || true
  exit 0
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
  mkdir -p "$DATA"
  [ "$(id -u)" = 0 ] && chown postgres "$DATA"
  run "$bin/initdb -D $DATA -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8" >&2
  # Tests only: no durability needed, and many small databases come and go.
  cat >>"$DATA/postgresql.conf" <<CONF
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_buffers = 128MB
CONF
fi

if ! run "$bin/pg_ctl -D $DATA status" >/dev/null 2>&1; then
  run "$bin/pg_ctl -D $DATA -l $DATA/server.log -o '-k $SOCKETS -p $PORT -c listen_addresses=' -w start" >&2
fi

echo "postgres://postgres@%2Ftmp:$PORT/postgres"
