// `--db postgres` for the benches: a fresh database on the throwaway PostgreSQL cluster the tests
// use (scripts/test-postgres.sh starts it; fsync off there, so the figures exclude the WAL flush).
import { execFileSync } from 'node:child_process';
import { createTestDatabase, type TestDatabase } from '../../server/db/pg-test-databases.ts';

/** A fresh database on the throwaway cluster, or exits saying PostgreSQL is not installed. */
export async function benchPostgres(): Promise<TestDatabase> {
  let cluster: string;
  try {
    cluster = execFileSync('bash', ['scripts/test-postgres.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    console.error('--db postgres: PostgreSQL is not installed (apt-get install -y postgresql); scripts/test-postgres.sh starts its throwaway cluster.');
    process.exit(2);
  }
  return createTestDatabase(cluster);
}

