// A bound on the scrypt work running at once (hash, verify, burn: 128 MiB and a third of a second
// each at the production cost). scrypt runs on libuv's thread pool, which SQLite's statements and
// file reads share: four hashes at once left no thread for anything else, and 48 activation
// requests stalled /api/health for 35.7 s at 1.05 GB (issue 15). So a few hashes run, a few wait
// their turn, and anyone beyond that is told at once to come back later (503 with Retry-After),
// which costs nothing. Someone already signed in (changing their PIN, a worker's signature in a
// push) waits ahead of anonymous tries and is never turned away. Decision 051.
import { AppError } from '../errors.ts';
import type { PasswordHasher } from './password.ts';

export interface HashQueueLimits {
  /** Hashes computed at the same time. */
  running: number;
  /** Anonymous hashes that may wait for a turn; beyond this they are refused. */
  waiting: number;
}

export const DEFAULT_HASH_QUEUE: HashQueueLimits = { running: 2, waiting: 8 };

export function serverBusy(retryAfterS: number): AppError {
  return new AppError(503, 'server_busy', 'The server is busy with other sign-ins; try again in a few seconds', { retryAfter: retryAfterS });
}

export function createHashQueue(limits: HashQueueLimits, clock: () => number = () => performance.now()) {
  let running = 0;
  const waiting: (() => void)[] = [];
  const trusted: (() => void)[] = [];
  // A moving average of how long one hash takes here, for an honest Retry-After.
  let averageMs = 300;

  const retryAfter = () => Math.max(1, Math.ceil((averageMs * (running + waiting.length + trusted.length)) / limits.running / 1000));

  function turn(urgent: boolean): Promise<void> | undefined {
    if (running < limits.running) {
      running++;
      return undefined;
    }
    if (!urgent && waiting.length >= limits.waiting) throw serverBusy(retryAfter());
    return new Promise((resolve) => (urgent ? trusted : waiting).push(resolve));
  }

  function done() {
    // The slot passes straight to the next in line, so nobody can slip in between.
    const next = trusted.shift() ?? waiting.shift();
    if (next) next();
    else running--;
  }

  return {
    limits,
    /** Runs `work` when a slot is free; throws 503 server_busy at once when too many already wait. */
    async run<T>(work: () => Promise<T>, opts: { trusted?: boolean } = {}): Promise<T> {
      await turn(opts.trusted ?? false);
      const started = clock();
      try {
        return await work();
      } finally {
        averageMs = 0.8 * averageMs + 0.2 * (clock() - started);
        done();
      }
    },
    /** Throws what `run` would throw now for an anonymous hash: lets a caller refuse before doing anything else. */
    refuseIfFull() {
      if (running >= limits.running && waiting.length >= limits.waiting) throw serverBusy(retryAfter());
    },
    stats: () => ({ running, waiting: waiting.length, trusted: trusted.length }),
  };
}

export type HashQueue = ReturnType<typeof createHashQueue>;

/** A hasher whose every scrypt goes through the queue. */
export interface QueuedHasher extends PasswordHasher {
  /** For work that is not an anonymous try (someone signed in, the demo seed): waits ahead of anonymous tries and is never refused. */
  trusted: PasswordHasher;
  queue: HashQueue;
}

export function queuedHasher(hasher: PasswordHasher, queue: HashQueue): QueuedHasher {
  const through = (trusted: boolean): PasswordHasher => ({
    hash: (secret) => queue.run(() => hasher.hash(secret), { trusted }),
    verify: (hash, secret) => queue.run(() => hasher.verify(hash, secret), { trusted }),
    burn: (secret) => queue.run(() => hasher.burn(secret), { trusted }),
  });
  return { ...through(false), trusted: through(true), queue };
}
