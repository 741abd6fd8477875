// HTTP transport for the sync engine, usable from the page and the service worker. Requests carry
// the session cookie (same origin) and the browser's Origin header, which the CSRF check needs.
//
// Timeouts are long, for EDGE: a request may take as long as its bytes need at 12 kbit/s plus 20 s
// of latency headroom. Stalls are caught where fetch lets us see progress: once the answer starts,
// every chunk must arrive within 20 s of the previous one. fetch cannot report upload progress, so
// the upload is covered by the size-based deadline alone (decision 014).
import type { BlobRef, PullResponse, PushResponse } from '../../shared/sync.ts';
import type { LinkDecisionRecord, VisitRecord, VisitRequestRecord } from './db.ts';
import { TransportError, type PushPayload, type SyncTransport } from './sync-engine.ts';
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

/** A visit outcome on the wire (shared/sync.ts OutcomeItem): only the fields its kind uses. */
function visitWire(v: VisitRecord, blobs: BlobRef[]) {
  return {
    type: 'outcome' as const,
    id: v.id,
    seq: v.seq,
    retireeId: v.retireeId,
    kind: v.kind,
    deviceTime: Math.max(0, Math.round(v.createdAt)),
    note: v.note,
    location: v.location,
    ...(v.kind === 'cannot_check' ? { reason: v.reason, signature: v.signature ?? '' } : {}),
    ...(v.kind === 'deceased' ? { deceasedOn: v.deceasedOn, source: v.source ?? '' } : {}),
    ...(v.kind === 'moved' ? { newAddress: v.newAddress } : {}),
    blobs,
  };
}

/** A family link decision on the wire (shared/sync.ts LinkItem). */
function linkWire(l: LinkDecisionRecord) {
  return {
    type: 'link' as const,
    id: l.id,
    seq: l.seq,
    retireeId: l.retireeId,
    action: l.action,
    ...(l.action === 'end' ? { familyUserId: l.familyUserId } : { requestId: l.requestId }),
    deviceTime: Math.max(0, Math.round(l.createdAt)),
  };
}

/** A home-visit request on the wire (shared/sync.ts VisitRequestItem). */
function visitRequestWire(q: VisitRequestRecord) {
  return { type: 'visit_request' as const, id: q.id, seq: q.seq, retireeId: q.retireeId, action: q.action, deviceTime: Math.max(0, Math.round(q.createdAt)) };
}

function buildBody(payload: PushPayload): { body: string | FormData; json: boolean; bytes: number } {
  let part = 0;
  const files: { name: string; data: Uint8Array; type: string }[] = [];
  const refs = (blobs: PushPayload['items'][number]['blobs']) =>
    blobs.map((b) => {
      const name = `p${part++}`;
      files.push({ name, data: b.data, type: b.type });
      return { part: name, kind: b.kind, type: b.type, bytes: b.data.length, sha256: b.sha256, ...(b.durationMs !== undefined ? { durationMs: b.durationMs } : {}) };
    });
  const items = payload.items.map(({ attempt, visit, link, visitRequest, blobs }) =>
    visit ? visitWire(visit, refs(blobs))
    : link ? linkWire(link)
    : visitRequest ? visitRequestWire(visitRequest)
    : {
        id: attempt.id,
        seq: attempt.seq,
        retireeId: attempt.retireeId,
        method: attempt.method,
        challengeToken: attempt.challengeToken,
        deviceTime: Math.max(0, Math.round(attempt.createdAt)),
        result: attempt.result,
        blobs: refs(blobs),
        // A worker's in-person enrolment (issue 14): the sealed signature, never the password.
        ...(attempt.enrolmentSignature ? { enrolment: { signature: attempt.enrolmentSignature } } : {}),
      },
  );
  const json = JSON.stringify({ items });
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
