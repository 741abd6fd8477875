// Persistent storage: without it the browser may evict IndexedDB under storage pressure, and with it
// unsent attempts. We ask at sign-in (Chrome decides without a prompt, Firefox asks the person) and
// show the state, with a plain explanation, in the storage panel.
export interface StorageState {
  /** null: this browser cannot tell. */
  persisted: boolean | null;
  usage: number | null;
  quota: number | null;
}

export async function storageState(): Promise<StorageState> {
  const storage = globalThis.navigator?.storage;
  if (!storage) return { persisted: null, usage: null, quota: null };
  const [persisted, estimate] = await Promise.all([
    storage.persisted ? storage.persisted().catch(() => null) : Promise.resolve(null),
    storage.estimate ? storage.estimate().catch(() => null) : Promise.resolve(null),
  ]);
  return { persisted, usage: estimate?.usage ?? null, quota: estimate?.quota ?? null };
}

/** Asks the browser to keep our data; resolves with whether it now will (null: not supported). */
export async function requestPersistence(): Promise<boolean | null> {
  const storage = globalThis.navigator?.storage;
  if (!storage?.persist) return null;
  try {
    if (await storage.persisted?.()) return true;
    return await storage.persist();
  } catch {
    return null;
  }
}
