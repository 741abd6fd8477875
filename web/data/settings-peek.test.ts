// The first screen's read without Dexie must agree with Dexie and must never create the database.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DB_NAME, getSetting, openAppDb, putSetting } from './db.ts';
import { peekSetting } from './settings-peek.ts';

const fresh = () => new IDBFactory();

describe('peekSetting', () => {
  it('answers undefined on a phone without the database, and leaves it uncreated for Dexie', async () => {
    const idb = fresh();
    expect(await peekSetting('installOffered', idb)).toBeUndefined();
    expect((await idb.databases()).map((d) => d.name)).not.toContain(DB_NAME);
    // Dexie then creates it with its schema as on any first start.
    const db = openAppDb({ indexedDB: idb, IDBKeyRange });
    await putSetting(db, 'installOffered', true);
    expect(await getSetting(db, 'installOffered')).toBe(true);
    db.close();
  });

  it('reads what Dexie wrote, and undefined for a key nobody wrote', async () => {
    const idb = fresh();
    const db = openAppDb({ indexedDB: idb, IDBKeyRange });
    await putSetting(db, 'worker.signedOutSession', { userId: 7, startedAt: 1, expiresAt: 2 });
    expect(await peekSetting('worker.signedOutSession', idb)).toEqual({ userId: 7, startedAt: 1, expiresAt: 2 });
    expect(await peekSetting('nobody.wrote.this', idb)).toBeUndefined();
    // Dexie keeps working alongside: the peek closed its connection.
    await putSetting(db, 'worker.signedOutSession', { userId: 8 });
    expect(await peekSetting('worker.signedOutSession', idb)).toEqual({ userId: 8 });
    db.close();
  });
});
