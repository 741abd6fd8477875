// The phone's memory of a sign-out made without signal (web/data/index.ts), on the app's own
// database: fake-indexeddb installed as the browser's indexedDB before the data layer loads.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { readSetting, rememberOfflineSignOut, wasSignedOutOffline, writeSetting } from './index.ts';

const KEY = 'worker.signedOutSession';
const session = { userId: 7, startedAt: 1_000, expiresAt: 9_000 };

describe('a sign-out made without signal', () => {
  it('is recognised once, when the server shows the same session again (its expiry may have moved)', async () => {
    await rememberOfflineSignOut(session);
    expect(await wasSignedOutOffline({ ...session, expiresAt: 12_000 })).toBe(true);
    expect(await wasSignedOutOffline(session)).toBe(false);
  });

  it('is forgotten, not matched, when the server shows another session: the cookie was replaced', async () => {
    await rememberOfflineSignOut(session);
    expect(await wasSignedOutOffline({ ...session, startedAt: 2_000 })).toBe(false);
    expect(await readSetting(KEY)).toBeUndefined();
    await rememberOfflineSignOut(session);
    expect(await wasSignedOutOffline({ ...session, userId: 8 })).toBe(false);
    expect(await readSetting(KEY)).toBeUndefined();
  });

  it('still finishes one remembered by the earlier worker app, which knew only the fixed expiry', async () => {
    await writeSetting(KEY, { userId: 7, expiresAt: 9_000 });
    expect(await wasSignedOutOffline(session)).toBe(true);
    await writeSetting(KEY, { userId: 7, expiresAt: 9_000 });
    expect(await wasSignedOutOffline({ ...session, expiresAt: 9_500 })).toBe(false);
  });
});
