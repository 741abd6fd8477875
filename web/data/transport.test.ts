// The push body the phone builds (issue 21 §2): every kind of outbox record, read from the phone's
// database by the real sync engine and written by the real transport, is an item the shared schema
// of its type accepts — a visit of each kind only with its own fields, a consent, a link decision,
// a home-visit request and an attempt — in the phone's sequence.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { LivenessResult } from '../../shared/liveness.ts';
import { syntheticJpeg, syntheticResult } from '../../shared/sync-fixtures.ts';
import { AttemptItem, ConsentItem, LinkItem, OutcomeItem, VisitRequestItem, type PushBody, type PushResponse } from '../../shared/sync.ts';
import { saveConsent } from './consents.ts';
import { openAppDb, putSetting } from './db.ts';
import { saveLinkDecision } from './links.ts';
import { saveAttempt, takeChallenge } from './store.ts';
import { createSyncEngine } from './sync-engine.ts';
import { createFetchTransport } from './transport.ts';
import { saveVisitRequest } from './visit-requests.ts';
import { saveVisit } from './visits.ts';

const SCHEMAS = { outcome: OutcomeItem, consent: ConsentItem, link: LinkItem, visit_request: VisitRequestItem } as const;

describe('the push body', () => {
  it('is one typed item per outbox record, each accepted by the shared schema of its type', async () => {
    const db = openAppDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    // A real key (what a pull brings), so the attestation can be sealed on the phone.
    const pair = await crypto.subtle.generateKey({ name: 'RSA-OAEP', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['encrypt', 'decrypt']);
    const spki = Buffer.from(await crypto.subtle.exportKey('spki', pair.publicKey)).toString('base64');
    await putSetting(db, 'signatureKey', { kid: 'k1', spki });
    const u = 7;
    await saveConsent(db, { userId: u, retireeId: 70, choice: 'face' });
    const challenge = await takeChallenge(db, u);
    await saveAttempt(db, { userId: u, retireeId: 70, method: 'worker', challenge, result: syntheticResult(challenge, 'failed') });
    await saveVisit(db, { userId: u, retireeId: 71, kind: 'not_home', note: '下午再来' });
    await saveVisit(db, { userId: u, retireeId: 72, kind: 'deceased', deceasedOn: '2026-11-01', source: '女儿' });
    await saveVisit(db, { userId: u, retireeId: 73, kind: 'moved', newAddress: '  保定市  ' });
    await saveLinkDecision(db, { userId: u, retireeId: 70, action: 'approve', requestId: 5 });
    await saveVisitRequest(db, { userId: u, retireeId: 70 });
    await saveVisit(db, { userId: u, retireeId: 74, kind: 'cannot_check', reason: 'bedridden', photo: syntheticJpeg(256, 256, 11_000, 4), password: 'secret-pass' });

    const bodies: PushBody[] = [];
    const transport = createFetchTransport({
      fetch: async (_url, init) => {
        const body = init!.body;
        const json = typeof body === 'string' ? body : ((body as FormData).get('batch') as string);
        const parsed = JSON.parse(json) as PushBody;
        bodies.push(parsed);
        const answer: PushResponse = { results: parsed.items.map((i) => ({ id: i.id, seq: i.seq, status: 'rejected', reason: 'invalid' })), lastSeq: 0, serverTime: 0 };
        return new Response(JSON.stringify(answer), { status: 200, headers: { 'Content-Type': 'application/json' } });
      },
    });
    await createSyncEngine({ db, transport }).pushAll(u);

    const items = bodies.flatMap((b) => b.items);
    expect(items.map((i) => i.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(items.map((i) => ('type' in i ? (i.type === 'outcome' ? `outcome:${i.kind}` : i.type) : 'attempt'))).toEqual([
      'consent',
      'attempt',
      'outcome:not_home',
      'outcome:deceased',
      'outcome:moved',
      'link',
      'visit_request',
      'outcome:cannot_check',
    ]);
    for (const item of items) {
      if (!('type' in item)) {
        expect(v.safeParse(AttemptItem, item).success).toBe(true);
        expect(v.safeParse(LivenessResult, item.result).success).toBe(true);
        continue;
      }
      const parsed = v.safeParse(SCHEMAS[item.type], item);
      expect(parsed.success, `${JSON.stringify(item).slice(0, 200)}: ${parsed.issues?.[0]?.message}`).toBe(true);
    }
    // Each visit carries only its kind's fields (the Visit union), nothing of another kind.
    const visits = items.filter((i) => 'type' in i && i.type === 'outcome');
    expect(visits.map((x) => Object.keys(x).filter((k) => ['reason', 'signature', 'deceasedOn', 'source', 'newAddress'].includes(k)).sort())).toEqual([
      [],
      ['deceasedOn', 'source'],
      ['newAddress'],
      ['reason', 'signature'],
    ]);
    expect(visits[2]).toMatchObject({ newAddress: '保定市' });
  });
});
