import type { Config } from './config.ts';
import type { Db } from './db/sqlite.ts';
import type { Logger } from './errors.ts';
import type { PasswordHasher } from './auth/password.ts';
import type { QueuedHasher } from './auth/hash-queue.ts';
import type { SessionStore, Session, SessionUser } from './auth/auth_session.ts';
import type { Throttle, ThrottlePolicy } from './auth/throttle.ts';
import type { FaceReader } from './identity/match-queue.ts';
import type { IngestQueue } from './sync/ingest.ts';
import type { PullAnswerer } from './sync/pull-thread.ts';

/** Everything the app needs from outside; tests pass their own clock, database and hash cost. */
export interface Deps {
  db: Db;
  config: Config;
  now?: () => number;
  passwords?: PasswordHasher;
  logger?: Logger;
  throttle?: Partial<ThrottlePolicy>;
  /** Reads faces in photos (the worker-thread pool); without it the office cannot add reference photos. */
  faces?: FaceReader;
  /**
   * The group commit of pushes (decision 012) and the pull answerer (decision 053): the process
   * entry passes its own (with their threads on SQLite); tests pass theirs to set faults, use a
   * thread or close it. Without them the app makes its own.
   */
  ingest?: IngestQueue;
  pulls?: PullAnswerer;
}

export interface Services {
  db: Db;
  config: Config;
  now: () => number;
  /** Every scrypt goes through a small queue (decision 051). */
  passwords: QueuedHasher;
  logger: Logger;
  sessions: SessionStore;
  throttle: Throttle;
  faces: FaceReader | null;
  ingest: IngestQueue;
  pulls: PullAnswerer;
}

export interface AppEnv {
  Variables: {
    services: Services;
    auth: { session: Session; user: SessionUser } | null;
    /** The cookie's session was ended by someone else (the office reset the PIN): the 401 says so. */
    sessionEnded?: { reason: 'pin_reset'; endedAt: number } | null;
    ip: string;
  };
}
