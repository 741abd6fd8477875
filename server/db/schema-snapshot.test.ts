// server/db/schema.sql is what the migrations produce today: a migration added without running
// `npm run schema` fails here, with the command in the message.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrate } from './migrate.ts';
import { schemaSnapshot, SCHEMA_FILE } from './schema-snapshot.ts';
import { openDb } from './sqlite.ts';

describe('server/db/schema.sql', () => {
  it('is the schema the migrations produce', async () => {
    const snapshot = await schemaSnapshot();
    const file = readFileSync(SCHEMA_FILE, 'utf8');
    expect(file === snapshot, 'server/db/schema.sql is out of date with server/db/migrations: run `npm run schema`').toBe(true);
  });

  it('holds every table, index, trigger and view of a migrated database, each once', async () => {
    const snapshot = await schemaSnapshot();
    const db = await openDb(':memory:');
    try {
      await migrate(db);
      const names = (await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'")).map((r) => r.name);
      const created = [...snapshot.matchAll(/^CREATE (?:TABLE|INDEX|UNIQUE INDEX|TRIGGER|VIEW) "?(\w+)"?/gm)].map((m) => m[1]!);
      expect(created.sort()).toEqual(names.sort());
      for (const table of ['retirees', 'certifications', 'attempts']) expect(created).toContain(table);
    } finally {
      await db.close();
    }
  });
});
