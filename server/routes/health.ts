import { Hono } from 'hono';
import type { AppEnv } from '../context.ts';
import { schemaVersion } from '../db/migrate.ts';

export function healthRoutes(version: string) {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const { db } = c.get('services');
    return c.json({ ok: true, version, schemaVersion: await schemaVersion(db) });
  });
  return app;
}
