// HTTP transport for the sync engine, usable from the page and the service worker. Requests carry
// the session cookie (same origin) and the browser's Origin header, which the CSRF check needs.
//
// Timeouts are long, for EDGE: a request may take as long as its bytes need at 12 kbit/s plus 20 s
// of latency headroom. Stalls are caught where fetch lets us see progress: once the answer starts,
// every chunk must arrive within 20 s of the previous one. fetch cannot report upload progress, so
// the upload is covered by the size-based deadline alone (decision 014).
import type { BlobRef, PullResponse, PushBody, PushItemBody, PushResponse } from '../../shared/sync.ts';
import type { AttemptRecord, ConsentRecord, LinkDecisionRecord, VisitRecord, VisitRequestRecord } from './db.ts';
import { TransportError, type PushItem, type PushPayload, type SyncTransport } from './sync-engine.ts';
import { apiErrorOfText } from '../../shared/errors.ts';
import { readPullResponse } from '../../shared/pull-response.ts';

export interface TransportOptions {
  fetch?: typeof fetch;
  baseUrl?: string;
  /** Floor throughput assumed for the deadline, bytes per second. */
  floorBytesPerSecond?: number;
  latencyMs?: number;
  stallMs?: number;
}

/** The wire deviceTime: the phone's clock, a whole non-negative number. */
const deviceTime = (at: number) => Math.max(0, Math.round(at));

/**
 * A visit outcome on the wire (shared/sync.ts OutcomeItem): the common fields and the record's own
 * Visit variant, with the sealed signature beside cannot_check's reason.
 */
function visitWire(v: VisitRecord, blobs: BlobRef[]): Extract<PushItemBody, { type: 'outcome' }> {
  const common = { type: 'outcome' as const, id: v.id, seq: v.seq, retireeId: v.retireeId, deviceTime: deviceTime(v.createdAt), note: v.note, location: v.location };
  switch (v.kind) {
    case 'not_home':
      return { ...common, kind: 'not_home', blobs };
    case 'cannot_check':
      return { ...common, kind: 'cannot_check', reason: v.reason, signature: v.signature ?? '', blobs };
    case 'deceased':
      return { ...common, kind: 'deceased', deceasedOn: v.deceasedOn, source: v.source ?? '', blobs };
    case 'moved':
      return { ...common, kind: 'moved', newAddress: v.newAddress, blobs };
  }
}

/** A family link decision on the wire (shared/sync.ts LinkItem). */
function linkWire(l: LinkDecisionRecord): Extract<PushItemBody, { type: 'link' }> {
  return {
    type: 'link',
    id: l.id,
    seq: l.seq,
    retireeId: l.retireeId,
    action: l.action,
    ...(l.action === 'end' ? { familyUserId: l.familyUserId ?? undefined } : { requestId: l.requestId ?? undefined }),
    deviceTime: deviceTime(l.createdAt),
  };
}

/** A home-visit request on the wire (shared/sync.ts VisitRequestItem). */
function visitRequestWire(q: VisitRequestRecord): Extract<PushItemBody, { type: 'visit_request' }> {
  return { type: 'visit_request', id: q.id, seq: q.seq, retireeId: q.retireeId, action: q.action, deviceTime: deviceTime(q.createdAt) };
}

/** A consent choice on the wire (shared/sync.ts ConsentItem). */
function consentWire(c: ConsentRecord): Extract<PushItemBody, { type: 'consent' }> {
  return { type: 'consent', id: c.id, seq: c.seq, retireeId: c.retireeId, choice: c.choice, noticeVersion: c.noticeVersion, deviceTime: deviceTime(c.createdAt) };
}

/** An attempt on the wire (shared/sync.ts AttemptItem): the one item without a `type`. */
function attemptWire(a: AttemptRecord, blobs: BlobRef[]): Exclude<PushItemBody, { type: string }> {
  return {
    id: a.id,
    seq: a.seq,
    retireeId: a.retireeId,
    method: a.method,
    challengeToken: a.challengeToken,
    deviceTime: deviceTime(a.createdAt),
    result: a.result,
    blobs,
    // A worker's in-person enrolment (issue 14): the sealed signature, never the password.
    ...(a.enrolmentSignature ? { enrolment: { signature: a.enrolmentSignature } } : {}),
  };
}

function itemWire(item: PushItem, refs: (blobs: PushItem['blobs']) => BlobRef[]): PushItemBody {
  switch (item.kind) {
    case 'attempt':
      return attemptWire(item.record, refs(item.blobs));
    case 'visit':
      return visitWire(item.record, refs(item.blobs));
    case 'link':
      return linkWire(item.record);
    case 'visit_request':
      return visitRequestWire(item.record);
    case 'consent':
      return consentWire(item.record);
  }
}

function buildBody(payload: PushPayload): { body: string | FormData; json: boolean; bytes: number } {
  let part = 0;
  const files: { name: string; data: Uint8Array; type: string }[] = [];
  const refs = (blobs: PushItem['blobs']): BlobRef[] =>
    blobs.map((b) => {
      const name = `p${part++}`;
      files.push({ name, data: b.data, type: b.type });
      return { part: name, kind: b.kind, type: b.type, bytes: b.data.length, sha256: b.sha256, ...(b.durationMs !== undefined ? { durationMs: b.durationMs } : {}) };
    });
  const body: PushBody = { items: payload.items.map((item) => itemWire(item, refs)) };
  const json = JSON.stringify(body);
  if (!files.length) return { body: json, json: true, bytes: json.length };
  const form = new FormData();
  form.set('batch', json);
  for (const f of files) form.set(f.name, new Blob([f.data as Uint8Array<ArrayBuffer>], { type: f.type }), f.name);
  return { body: form, json: false, bytes: json.length + payload.blobBytes + files.length * 200 };
}

export function createFetchTransport(options: TransportOptions = {}): SyncTransport {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const base = options.baseUrl ?? '';
  const floor = options.floorBytesPerSecond ?? 1_500;
  const latency = options.latencyMs ?? 20_000;
  const stallMs = options.stallMs ?? 20_000;

  async function request<T>(path: string, body: string | FormData, json: boolean, bytes: number): Promise<T> {
    const controller = new AbortController();
    let why: 'timeout' | 'stall' | null = null;
    const deadline = setTimeout(() => {
      why = 'timeout';
      controller.abort();
    }, latency + (bytes / floor) * 1000);
    let stall: ReturnType<typeof setTimeout> | undefined;
    try {
      let res: Response;
      try {
        res = await doFetch(`${base}${path}`, {
          method: 'POST',
          body,
          headers: json ? { 'Content-Type': 'application/json' } : {},
          credentials: 'same-origin',
          cache: 'no-store',
          signal: controller.signal,
        });
      } catch (err) {
        if (why) throw new TransportError('timeout', `no answer within the deadline (${path})`);
        throw new TransportError('network', err instanceof Error ? err.message : 'network error');
      }
      // Read the answer chunk by chunk: a link that stops delivering is a stall, not a slow answer.
      const chunks: Uint8Array[] = [];
      if (res.body) {
        const reader = res.body.getReader();
        const arm = () => {
          clearTimeout(stall);
          stall = setTimeout(() => {
            why = 'stall';
            controller.abort();
          }, stallMs);
        };
        arm();
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            chunks.push(value);
            arm();
          }
        } catch (err) {
          throw new TransportError(why ? 'timeout' : 'network', why ? `answer stalled (${path})` : err instanceof Error ? err.message : 'network error');
        }
      }
      const text = new TextDecoder().decode(concat(chunks));
      const code = res.ok ? null : apiErrorOfText(text)?.code;
      if (res.status === 401 || code === 'device_required') throw new TransportError('auth', 'sign in again', res.status);
      if (res.status === 413) throw new TransportError('too_large', 'request too large', 413);
      if (res.status === 400 || res.status === 415) throw new TransportError('invalid', text.slice(0, 200), res.status);
      if (!res.ok) throw new TransportError('server', `HTTP ${res.status}`, res.status);
      try {
        return JSON.parse(text) as T;
      } catch {
        // A 200 whose body was cut off: we do not know what the server did, so try again later.
        throw new TransportError('network', 'incomplete answer');
      }
    } finally {
      clearTimeout(deadline);
      clearTimeout(stall);
    }
  }

  return {
    push(payload) {
      const { body, json, bytes } = buildBody(payload);
      return request<PushResponse>('/api/sync/push', body, json, bytes);
    },
    async pull(body) {
      const json = JSON.stringify(body);
      // Checked before the engine writes any of it (shared/pull-response.ts): an answer this app
      // cannot read waits, unwritten, for the app's update.
      const checked = readPullResponse(await request<unknown>('/api/sync/pull', json, true, json.length));
      if (!checked.ok) throw new TransportError('incompatible', checked.problem);
      return checked.value;
    },
  };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let i = 0;
  for (const c of chunks) {
    out.set(c, i);
    i += c.length;
  }
  return out;
}
