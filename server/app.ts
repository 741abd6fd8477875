// createApp(deps) builds the whole HTTP app without binding a port, so tests drive it through
// app.request() and main.ts only adds config and serve().
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { createSessionStore } from './auth/auth_session.ts';
import { createHashQueue, queuedHasher } from './auth/hash-queue.ts';
import { hashThreads } from './auth/hash-threads.ts';
import { createPasswordHasher } from './auth/password.ts';
import { createThrottle, DEFAULT_THROTTLE } from './auth/throttle.ts';
import type { AppEnv, Deps, Services } from './context.ts';
import { consoleLogger, errorBody, handleError } from './errors.ts';
import { conditionalGet } from './http/conditional.ts';
import { staticRanges } from './http/ranges.ts';
import { csrf } from './middleware/csrf.ts';
import { clientIp } from './middleware/request-origin.ts';
import { securityHeaders } from './middleware/security-headers.ts';
import { loadSession } from './middleware/session.ts';
import { authRoutes } from './routes/auth.ts';
import { certificationRoutes } from './routes/certifications.ts';
import { consentRoutes } from './routes/consents.ts';
import { familyRoutes } from './routes/family.ts';
import { healthRoutes } from './routes/health.ts';
import { identityRoutes } from './routes/identity.ts';
import { meRoutes } from './routes/me.ts';
import { officeRoutes } from './routes/office.ts';
import { officeAuditRoutes } from './routes/office-audit.ts';
import { officePeopleRoutes } from './routes/office-people.ts';
import { officeRetireeRoutes } from './routes/office-retiree.ts';
import { officeRetireesRoutes } from './routes/office-retirees.ts';
import { officeSetupRoutes } from './routes/office-setup.ts';
import { regionRoutes } from './routes/regions.ts';
import { retireeRoutes } from './routes/retirees.ts';
import { reviewRoutes } from './routes/reviews.ts';
import { rosterRoutes } from './routes/roster.ts';
import { syncRechecksSession, syncRoutes } from './routes/sync.ts';
import { IngestQueue } from './sync/ingest.ts';
import { PullAnswerer } from './sync/pull-thread.ts';

export const VERSION = '0.1.0';

export function createServices(deps: Deps): Services {
  const now = deps.now ?? Date.now;
  return {
    db: deps.db,
    config: deps.config,
    now,
    // Production hashes on threads of their own at a lower priority (decision 051); tests pass theirs.
    passwords: queuedHasher(deps.passwords ?? createPasswordHasher(17, hashThreads(deps.config.hashQueue.running).derive), createHashQueue(deps.config.hashQueue)),
    logger: deps.logger ?? consoleLogger,
    sessions: createSessionStore(deps.db, now),
    throttle: createThrottle(deps.db, now, { ...DEFAULT_THROTTLE, ...deps.throttle }),
    faces: deps.faces ?? null,
    ingest: deps.ingest ?? new IngestQueue(deps.db),
    pulls: deps.pulls ?? new PullAnswerer(deps.db),
  };
}

export function createApp(deps: Deps) {
  const services = createServices(deps);
  const { config } = services;
  const app = new Hono<AppEnv>();

  app.onError(handleError(services.logger));
  app.use(securityHeaders());
  app.use(async (c, next) => {
    c.set('services', services);
    let socketIp: string | undefined;
    try {
      socketIp = getConnInfo(c).remote.address;
    } catch {
      // app.request() in tests has no socket.
    }
    c.set('ip', clientIp(c, config.trustProxy, socketIp));
    await next();
  });

  const api = new Hono<AppEnv>();
  api.use(csrf(config.allowedOrigins, config.trustProxy));
  // Set before the handler runs: a header added after it would make @hono/node-server rebuild the
  // finished response as a full web Response, twice, on every API call (docs/benchmarks.md, "ingest").
  // A handler that sends its own Cache-Control (a review photo) still overrides it.
  api.use(async (c, next) => {
    c.header('Cache-Control', 'no-store');
    await next();
  });
  api.use(loadSession({ rechecksInTransaction: syncRechecksSession }));
  api.route('/health', healthRoutes(VERSION));
  api.route('/auth', authRoutes());
  api.route('/me', meRoutes());
  api.route('/retirees', retireeRoutes());
  api.route('/regions', regionRoutes());
  api.route('/sync', syncRoutes());
  api.route('/roster', rosterRoutes());
  api.route('/reviews', reviewRoutes());
  api.route('/identity', identityRoutes());
  api.route('/consents', consentRoutes());
  api.route('/family', familyRoutes());
  api.route('/certifications', certificationRoutes());
  api.route('/office', officeRoutes());
  api.route('/office/people', officePeopleRoutes());
  api.route('/office/audit', officeAuditRoutes());
  api.route('/office/retiree', officeRetireeRoutes());
  // The retiree list, the lists and their exports: /office/retirees, /office/lists, /office/exports/… (decision 056).
  api.route('/office', officeRetireesRoutes());
  api.route('/office/setup', officeSetupRoutes());
  api.all('*', (c) => c.json(errorBody('not_found', `No API route ${c.req.method} ${c.req.path}`), 404));
  app.route('/api', api);

  if (existsSync(join(config.webDist, 'index.html'))) mountWeb(app, config.webDist, config.production);
  return app;
}

/** The built PWA: hashed assets cached for a year, everything else revalidated, SPA fallback. */
function mountWeb(app: Hono<AppEnv>, root: string, production: boolean) {
  // The production build makes no source maps; one left in the folder by another build (or copied
  // in) is still not served, since it would hand out the app's full source (issue 15).
  if (production) app.use('*', async (c, next) => (c.req.path.endsWith('.map') ? c.text('Not found', 404) : next()));
  app.use('*', conditionalGet());
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.ok) c.header('Cache-Control', 'public, max-age=31536000, immutable');
  });
  app.use('*', async (c, next) => {
    await next();
    if (c.res.ok && !c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-cache');
  });
  // ETag, Accept-Ranges and If-Range, for the phone's resumable asset download (web/pwa/assets.ts).
  app.use('*', staticRanges(root));
  app.use('*', serveStatic({ root, precompressed: true }));
  let indexHtml: string | null = null;
  app.get('*', async (c) => {
    // Paths with a file extension are real files that do not exist; only app routes get the shell.
    if (/\.[a-z0-9]+$/i.test(c.req.path)) return c.text('Not found', 404);
    indexHtml ??= await readFile(join(root, 'index.html'), 'utf8');
    return c.html(indexHtml);
  });
}
