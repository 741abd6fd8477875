// Which engine the server runs on: PostgreSQL when DATABASE_URL names one, otherwise the embedded
// SQLite file (DATABASE_PATH), which needs nothing installed (decision 081).
import type { Db } from './db.ts';
import { isPostgresUrl, openPostgres } from './postgres.ts';
import { openDb } from './sqlite.ts';

export interface DatabaseConfig {
  databasePath: string;
  databaseUrl: string | null;
}

export async function openDatabase(config: DatabaseConfig): Promise<Db> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openDb(config.databasePath);
}

export { isPostgresUrl };
