// One settings value read with the bare IndexedDB API, without loading Dexie and the code built
// on it (38 KB gzip, loaded on first use: decision 045). For the few reads the first signed-in
// screen waits for; everything else goes through db.ts. Never creates the database: a phone that
// has none answers undefined and leaves it for Dexie to create with its schema.

/** The phone database's name; db.ts opens it with Dexie. */
export const DB_NAME = 'stillhere';

export function peekSetting(key: string, factory: IDBFactory = indexedDB): Promise<unknown> {
  return new Promise((resolve) => {
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(DB_NAME);
    } catch {
      resolve(undefined);
      return;
    }
    // Only fires when the database does not exist yet: abort, so it still does not.
    request.onupgradeneeded = () => request.transaction?.abort();
    request.onerror = () => resolve(undefined);
    request.onblocked = () => resolve(undefined);
    request.onsuccess = () => {
      const db = request.result;
      // Dexie upgrading the schema in another tab must not wait for this connection.
      db.onversionchange = () => db.close();
      try {
        if (!db.objectStoreNames.contains('settings')) {
          db.close();
          resolve(undefined);
          return;
        }
        const get = db.transaction('settings', 'readonly').objectStore('settings').get(key);
        get.onsuccess = () => {
          db.close();
          resolve((get.result as { value?: unknown } | undefined)?.value);
        };
        get.onerror = () => {
          db.close();
          resolve(undefined);
        };
      } catch {
        db.close();
        resolve(undefined);
      }
    };
  });
}
