// Starts the real server (node --import tsx server/main.ts) on a free port with its own SQLite file and the test
// build of the web app, exactly as `npm start` would run it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outDirFor, ROOT } from '../build.ts';

export interface RunningServer {
  url: string;
  dbPath: string;
  dir: string;
  output: () => string;
  /** Stops the process (SIGKILL with `crash`, to simulate a power cut). */
  stop(opts?: { crash?: boolean; keepData?: boolean }): Promise<void>;
  /** Starts it again on the same database and port. */
  restart(): Promise<RunningServer>;
}

export async function startServer(env: Record<string, string> = {}, existing?: { dir: string; port?: number }): Promise<RunningServer> {
  const dir = existing?.dir ?? mkdtempSync(join(tmpdir(), 'stillhere-e2e-'));
  const dbPath = join(dir, 'stillhere.sqlite');
  let log = '';
  // node itself (not the tsx wrapper) so that a SIGKILL hits the server process, not a parent.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(existing?.port ?? 0),
      HOST: '127.0.0.1',
      DATABASE_PATH: dbPath,
      WEB_DIST: outDirFor('test'),
      SEED_DEMO: '1',
      // A worker's matched checks are held for the office at random (issue 15); a test that expects
      // a worker's check to certify must not depend on the draw. Unit tests cover the sampling.
      WORKER_REVIEW_SHARE: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));

  const url = await new Promise<string>((resolve, reject) => {
    // Generous: on a loaded two-core machine tsx alone can take over a minute to load the server.
    const timer = setTimeout(() => reject(new Error(`server did not start in 180 s:\n${log}`)), 180_000);
    const onData = () => {
      const m = /running on (http:\/\/[\d.]+:\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${log}`));
    });
  });
  const port = Number(new URL(url).port);

  const server: RunningServer = {
    url,
    dbPath,
    dir,
    output: () => log,
    async stop({ crash = false, keepData = false } = {}) {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill(crash ? 'SIGKILL' : 'SIGTERM');
        await exited;
      }
      if (!keepData) rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await server.stop({ keepData: true });
      return startServer(env, { dir, port });
    },
  };
  return server;
}
