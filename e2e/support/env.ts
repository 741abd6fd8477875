// The usual fixture of a browser test file: one real server with its own SQLite file, one Chromium,
// and a connection to the server's database for checking what it stored. Call at the top level of a
// test file; the fields are filled in by beforeAll.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { openDb, type Db } from '../../server/db/sqlite.ts';
import { launchBrowser } from './browser.ts';
import { startServer, type RunningServer } from './server.ts';

export interface E2eEnv {
  server: RunningServer;
  browser: Browser;
  db: Db;
}

export function useServerAndBrowser(serverEnv: Record<string, string> = {}): E2eEnv {
  const env = {} as E2eEnv;
  beforeAll(async () => {
    env.server = await startServer(serverEnv);
    env.browser = await launchBrowser();
    env.db = await openDb(env.server.dbPath);
  });
  afterAll(async () => {
    await env.db?.close();
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}
