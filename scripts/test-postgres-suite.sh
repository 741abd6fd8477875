#!/usr/bin/env bash
# npm run test:postgres — the server tests again, on PostgreSQL (decision 081). Starts the
# throwaway cluster (scripts/test-postgres.sh) and runs server/ with STILLHERE_TEST_PG set, each
# test app on a database of its own. Without PostgreSQL installed it says so and succeeds: the
# server tests have run on SQLite in test:unit, and `npm start` needs nothing installed.
set -uo pipefail
cd "$(dirname "$0")/.."

if ! url=$(scripts/test-postgres.sh 2>/tmp/stillhere-pg-start.log); then
  echo "test:postgres: PostgreSQL is NOT installed, so the server tests ran on SQLite only."
  echo "  Install it (apt-get install -y postgresql) to run them on PostgreSQL too; see /tmp/stillhere-pg-start.log."
  exit 0
fi

# The server test files that open a database (the others test no engine and ran in test:unit),
# less those not yet ported to PostgreSQL (scripts/postgres-not-yet.txt, issue 20 phase 2).
mapfile -t not_yet < <(grep -v '^\s*#' scripts/postgres-not-yet.txt | grep -v '^\s*$')
mapfile -t files < <(grep -lE "createTestApp|openTestDb|openDb|test-support" $(find server -name '*.test.ts' | sort) | grep -vxF -f <(printf '%s\n' "${not_yet[@]}"))
echo "test:postgres: ${#files[@]} server test files on PostgreSQL ($url); ${#not_yet[@]} not yet ported are left out (scripts/postgres-not-yet.txt)."
STILLHERE_TEST_PG="$url" exec npx vitest run "${files[@]}"
