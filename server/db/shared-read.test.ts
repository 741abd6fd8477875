import { describe, expect, it } from 'vitest';
import { sharedRead } from './shared-read.ts';

/** A snapshot read (it sees the value as it was when it started) that we finish by hand. */
function manualRead() {
  const pending: { finish: () => void; fail: (e: Error) => void }[] = [];
  let value = 0;
  return {
    pending,
    set: (v: number) => (value = v),
    read: () => {
      const seen = value;
      return new Promise<number>((resolve, reject) => pending.push({ finish: () => resolve(seen), fail: reject }));
    },
  };
}

describe('sharedRead', () => {
  it('lets callers that arrive during a read share the next one', async () => {
    const m = manualRead();
    const get = sharedRead(m.read);
    const first = get();
    const during = [get(), get(), get()];
    expect(m.pending).toHaveLength(1);
    m.pending[0]!.finish();
    expect(await first).toBe(0);
    await Promise.resolve();
    expect(m.pending).toHaveLength(2);
    m.pending[1]!.finish();
    expect(await Promise.all(during)).toEqual([0, 0, 0]);
  });

  it('never answers a caller with a read that started before it asked', async () => {
    const m = manualRead();
    const get = sharedRead(m.read);
    const early = get();
    m.set(1); // a change commits while the first read is running…
    const late = get(); // …and this caller asks after it
    m.pending[0]!.finish();
    await early;
    await Promise.resolve();
    m.pending[1]!.finish();
    expect(await late).toBe(1);
  });

  it('starts afresh after a failed read, and the failure reaches only its own callers', async () => {
    const m = manualRead();
    const get = sharedRead(m.read);
    const failing = get();
    const waiting = get();
    m.set(7);
    m.pending[0]!.fail(new Error('disk I/O error'));
    await expect(failing).rejects.toThrow('disk I/O error');
    await Promise.resolve();
    m.pending[1]!.finish();
    expect(await waiting).toBe(7);
    const after = get();
    m.pending[2]!.finish();
    expect(await after).toBe(7);
  });
});
