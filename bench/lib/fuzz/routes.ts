// The API's routes, read from the Hono app itself: a route added later is fuzzed without anyone
// remembering to list it here. Middleware (method ALL) is left out; each method and path once.
import { createApp } from '../../../server/app.ts';
import { loadConfig } from '../../../server/config.ts';
import type { Db } from '../../../server/db/sqlite.ts';

export interface ApiRoute {
  method: string;
  /** With Hono's parameters, e.g. /api/retirees/:id/status. */
  path: string;
}

export function apiRoutes(db: Db): ApiRoute[] {
  const app = createApp({ db, config: loadConfig({ NODE_ENV: 'test', WEB_DIST: '/nonexistent' }) });
  const seen = new Set<string>();
  const routes: ApiRoute[] = [];
  for (const r of app.routes) {
    const key = `${r.method} ${r.path}`;
    if (r.method === 'ALL' || !r.path.startsWith('/api/') || seen.has(key)) continue;
    seen.add(key);
    routes.push({ method: r.method, path: r.path });
  }
  return routes;
}
