// Real failures, not made-up error objects: a pool whose server is not there, a bad statement on a
// real SQLite file. The app's 503 for a database that went away mid-run is tested on a real
// failover in scripts/postgres-replica.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from './sqlite.ts';
import { databaseUnavailable } from './unavailable.ts';
import pg from 'pg';

const dir = mkdtempSync(join(tmpdir(), 'stillhere-unavailable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// A socket folder where no PostgreSQL listens.
const NOBODY = `postgres://postgres@${encodeURIComponent(dir)}:5999/postgres`;

async function failureOf(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

describe('databaseUnavailable', () => {
  it('is true for a PostgreSQL that is not there', async () => {
    const pool = new pg.Pool({ connectionString: NOBODY });
    const err = await failureOf(() => pool.query('SELECT 1'));
    await pool.end();
    expect(databaseUnavailable(err)).toBe(true);
  });

  it('is false for a wrong statement or a missing table', async () => {
    const db = await openDb(join(dir, 'x.sqlite'));
    expect(databaseUnavailable(await failureOf(() => db.all('SELEC 1')))).toBe(false);
    expect(databaseUnavailable(await failureOf(() => db.all('SELECT * FROM nothing_here')))).toBe(false);
    await db.close();
    expect(databaseUnavailable(new TypeError('x is undefined'))).toBe(false);
  });
});
