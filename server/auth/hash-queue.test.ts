import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { createHashQueue } from './hash-queue.ts';

/** Work that finishes when the test says so. */
function held() {
  const jobs: { release: () => void; started: boolean }[] = [];
  const work = () => {
    let release!: () => void;
    const done = new Promise<void>((r) => (release = r));
    const job = { release, started: true };
    jobs.push(job);
    return done.then(() => jobs.indexOf(job));
  };
  return { jobs, work };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('hash queue', () => {
  it('runs at most `running` at once and starts the waiting ones in order', async () => {
    const q = createHashQueue({ running: 2, waiting: 5 });
    const { jobs, work } = held();
    const all = Array.from({ length: 5 }, () => q.run(work));
    await tick();
    expect(jobs).toHaveLength(2);
    expect(q.stats()).toEqual({ running: 2, waiting: 3, trusted: 0 });
    jobs[0]!.release();
    await tick();
    expect(jobs).toHaveLength(3);
    for (let i = 1; i < 5; i++) {
      jobs[i]!.release();
      await tick();
    }
    expect(await Promise.all(all)).toEqual([0, 1, 2, 3, 4]);
    expect(q.stats()).toEqual({ running: 0, waiting: 0, trusted: 0 });
  });

  it('refuses at once with 503 server_busy and a Retry-After in seconds when the waiting room is full', async () => {
    const q = createHashQueue({ running: 1, waiting: 1 });
    const { jobs, work } = held();
    const first = q.run(work);
    const second = q.run(work);
    const third = q.run(work).catch((e: unknown) => e);
    const refused = (await third) as AppError;
    expect(refused).toBeInstanceOf(AppError);
    expect(refused.status).toBe(503);
    expect(refused.code).toBe('server_busy');
    expect(refused.details!.retryAfter).toBeGreaterThanOrEqual(1);
    expect(() => q.refuseIfFull()).toThrow(AppError);
    await tick();
    jobs[0]!.release();
    await tick();
    jobs[1]!.release();
    await Promise.all([first, second]);
    expect(() => q.refuseIfFull()).not.toThrow();
  });

  it('lets someone signed in wait ahead of anonymous tries, and never turns them away', async () => {
    const q = createHashQueue({ running: 1, waiting: 1 });
    const order: string[] = [];
    const { jobs, work } = held();
    const first = q.run(work);
    const anonymous = q.run(async () => order.push('anonymous'));
    const signedIn = [q.run(async () => order.push('signed in 1'), { trusted: true }), q.run(async () => order.push('signed in 2'), { trusted: true })];
    await tick();
    jobs[0]!.release();
    await Promise.all([first, anonymous, ...signedIn]);
    expect(order).toEqual(['signed in 1', 'signed in 2', 'anonymous']);
  });

  it('a failing hash still frees its slot', async () => {
    const q = createHashQueue({ running: 1, waiting: 0 });
    await expect(q.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await q.run(async () => 'ok')).toBe('ok');
  });
});
