// The few service-worker types we use. The project's TypeScript lib is DOM (the app), which has no
// ServiceWorkerGlobalScope; declaring what sw.ts needs keeps one tsconfig for everything.
export interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}

export interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Response | Promise<Response>): void;
}

export interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
  /** True when the browser will not retry after this one. */
  readonly lastChance: boolean;
}

export interface ExtendableMessageEvent extends ExtendableEvent {
  readonly data: unknown;
}

export interface SwScope {
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'sync', listener: (event: SyncEvent) => void): void;
  addEventListener(type: 'message', listener: (event: ExtendableMessageEvent) => void): void;
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
  /** `active` is the version pages run now: null only while the very first version installs. */
  readonly registration: { readonly scope: string; readonly active: unknown };
  readonly caches: CacheStorage;
}
