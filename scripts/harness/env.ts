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

export interface E2eOptions {
  serverEnv?: Record<string, string>;
  /** Makes the file's camera clip (only called when the fixture is started). */
  fakeVideo?: () => string;
  /** False: start nothing (the file skips its tests, e.g. without ../shared). */
  when?: boolean;
}

export function useServerAndBrowser({ serverEnv = {}, fakeVideo, when = true }: E2eOptions = {}): E2eEnv {
  const env = {} as E2eEnv;
  beforeAll(async () => {
    if (!when) return;
    env.server = await startServer(serverEnv);
    env.browser = await launchBrowser({ fakeVideo: fakeVideo?.() });
    env.db = await openDb(env.server.dbPath);
  });
  afterAll(async () => {
    await env.db?.close();
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}
