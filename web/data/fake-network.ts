// A fake network for tests and the sync-faults benchmark: wraps a fetch-like `deliver` and, with a
// seeded random source, drops requests before they arrive, drops answers after the server acted,
// delays, delivers twice, and re-delivers stale copies later (out of order).
export interface FaultRates {
  /** Request never reaches the server. */
  dropRequest: number;
  /** Server acts, the answer is lost. */
  dropResponse: number;
  /** Delivered twice (the second copy concurrently). */
  duplicate: number;
  /** A copy is kept and delivered again later, after newer requests. */
  reorder: number;
  /** Upper bound of a random delay before delivery, ms. */
  maxDelayMs: number;
}

export const NO_FAULTS: FaultRates = { dropRequest: 0, dropResponse: 0, duplicate: 0, reorder: 0, maxDelayMs: 0 };

export type Deliver = (url: string, init: RequestInit) => Promise<Response>;

/** xorshift32: small and seedable, so a failing run can be replayed. */
export function seededRandom(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

export interface FakeNetwork {
  fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /** Delivers every stale copy still held back; resolves when they have all been answered. */
  flush(): Promise<void>;
  stats: { requests: number; dropped: number; lostAnswers: number; duplicated: number; reordered: number };
  rates: FaultRates;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createFakeNetwork(deliver: Deliver, rates: FaultRates, random: () => number): FakeNetwork {
  const held: { url: string; init: RequestInit }[] = [];
  const late: Promise<unknown>[] = [];
  const stats = { requests: 0, dropped: 0, lostAnswers: 0, duplicated: 0, reordered: 0 };
  const net: FakeNetwork = {
    rates,
    stats,
    async fetch(input, init = {}) {
      stats.requests++;
      const url = String(input instanceof Request ? input.url : input);
      const copy = { ...init, signal: undefined };
      // Some earlier stale copy arrives now, before this request.
      if (held.length && random() < 0.5) {
        const stale = held.splice(Math.floor(random() * held.length), 1)[0]!;
        late.push(deliver(stale.url, stale.init).catch(() => undefined));
      }
      if (rates.maxDelayMs) await sleep(Math.floor(random() * rates.maxDelayMs));
      if (init.signal?.aborted) throw new TypeError('aborted');
      if (random() < net.rates.dropRequest) {
        stats.dropped++;
        throw new TypeError('Failed to fetch (request dropped)');
      }
      if (random() < net.rates.reorder) {
        stats.reordered++;
        held.push({ url, init: copy });
      }
      let extra: Promise<unknown> | null = null;
      if (random() < net.rates.duplicate) {
        stats.duplicated++;
        extra = deliver(url, copy).catch(() => undefined);
        late.push(extra);
      }
      const res = await deliver(url, copy);
      if (random() < net.rates.dropResponse) {
        stats.lostAnswers++;
        await res.arrayBuffer().catch(() => undefined);
        throw new TypeError('Failed to fetch (answer lost)');
      }
      return res;
    },
    async flush() {
      while (held.length) {
        const stale = held.shift()!;
        late.push(deliver(stale.url, stale.init).catch(() => undefined));
      }
      await Promise.all(late.splice(0));
    },
  };
  return net;
}
