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

# Every server test file that opens a database (the others test no engine and ran in test:unit).
# What is SQLite's alone by nature (the ingest and pull threads, VACUUM INTO backups, the SQLite
# file's own bytes) is skipped inside its file on PostgreSQL, with the reason in the test's name.
mapfile -t files < <(grep -lE "createTestApp|openTestDb|openDb|test-support" $(find server -name '*.test.ts' | sort))
echo "test:postgres: ${#files[@]} server test files on PostgreSQL ($url)."
STILLHERE_TEST_PG="$url" exec npx vitest run "${files[@]}"
