import type { Config } from './config.ts';
import type { Db } from './db/sqlite.ts';
import type { Logger } from './errors.ts';
import type { PasswordHasher } from './auth/password.ts';
import type { QueuedHasher } from './auth/hash-queue.ts';
import type { SessionStore, Session, SessionUser } from './auth/auth_session.ts';
import type { Throttle, ThrottlePolicy } from './auth/throttle.ts';
import type { FaceReader } from './identity/match-queue.ts';

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
