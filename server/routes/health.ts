import { Hono } from 'hono';
import type { AppEnv } from '../context.ts';

export function healthRoutes(version: string) {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const { db } = c.get('services');
    const row = await db.get<{ v: number }>('SELECT max(version) AS v FROM schema_migrations');
    return c.json({ ok: true, version, schemaVersion: row?.v ?? 0 });
  });
  return app;
}
