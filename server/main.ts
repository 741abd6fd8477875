// Process entry: read config, open and migrate the database, seed demo data if empty, serve.
import { createApp, createServices } from './app.ts';
import { loadConfig } from './config.ts';
import { migrate } from './db/migrate.ts';
import { openDatabase } from './db/open.ts';
import { listen } from './http/serve.ts';
import { printDemoSignIns, seedDemoIfEmpty } from './seed/demo.ts';
import { writeFileSync } from 'node:fs';
import { IngestQueue } from './sync/ingest.ts';
import { startIngestThread } from './sync/ingest-thread.ts';
import { PullAnswerer, startPullThread } from './sync/pull-thread.ts';
import { startFacePool } from './face/face-pool.ts';
import { startMatchQueue } from './identity/match-queue.ts';
import { startRetention } from './retention/retention-job.ts';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  console.error(`Configuration error: ${(err as Error).message}`);
  process.exit(1);
}
const db = await openDatabase(config);
await migrate(db);
// Face matching (decision 050): worker threads read faces, the queue decides `verifying` attempts.
const faces = config.matchThreads > 0 ? startFacePool({ size: config.matchThreads }) : null;
const services = createServices({ db, config, ...(faces ? { faces } : {}) });
if (config.seedDemo) {
  await seedDemoIfEmpty(services);
  await printDemoSignIns(db);
}

// Group commits of pushes run on their own thread and connection (decision 047), and pulls read on
// their own thread and read-only connection (decision 053): both open the SQLite file. On
// PostgreSQL they run in this process, on the pool (decision 081).
const ingest = new IngestQueue(db);
const pulls = new PullAnswerer(db);
// For `npm run bench -- ingest`: how many requests each COMMIT carried, written at exit.
const statsFile = config.ingestStatsFile;
if (statsFile) process.once('exit', () => writeFileSync(statsFile, JSON.stringify(ingest.stats)));
if (db.engine === 'sqlite') {
  ingest.useThread(startIngestThread(config.databasePath));
  pulls.useThread(startPullThread(config.databasePath));
}

const matching = faces ? startMatchQueue({ db, faces, logger: services.logger, workerAudit: config.workerAudit }) : null;

// Evidence past its retention, and the reference faces of retirees off the rolls (decision 052):
// deleted at start and then every 24 hours.
const retention = startRetention({ db, now: services.now, retentionDays: config.retentionDays, logger: services.logger });

const app = createApp({ db, config, ingest, pulls, ...(faces ? { faces } : {}) });
const server = listen(app, config, (port) => {
  console.log(`StillHere is running on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port} (database ${config.databasePath})`);
});

server.on('error', (err: NodeJS.ErrnoException) => {
  console.error(err.code === 'EADDRINUSE' ? `Port ${config.port} is already in use: stop the other process or set PORT to another port.` : err);
  process.exit(1);
});

const sweep = setInterval(() => {
  services.sessions.deleteExpired().catch((err) => console.error('session sweep failed', err));
}, 60 * 60_000);
sweep.unref();

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    server.close(() => {
      Promise.all([ingest.close(), pulls.close(), matching?.stop(), retention.stop()])
        .then(() => faces?.close())
        .then(() => db.close())
        .finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
