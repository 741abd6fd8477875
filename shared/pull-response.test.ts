import { describe, expect, it } from 'vitest';
import { readPullResponse, SYNC_WIRE_VERSION } from './pull-response.ts';

const answer = (extra: Record<string, unknown> = {}) => ({
  v: SYNC_WIRE_VERSION,
  cursor: 'c1',
  full: true,
  retirees: [{ id: 4, name: '周大爷', communityName: '幸福里社区', idNumber: '1101**********0021', today: '2027-03-02', status: { state: 'open', year: 2027 }, officePhone: null }],
  removed: [],
  challenges: [{ id: 'tok-1', token: 'x.y', seed: 7, issuedAt: 1, expiresAt: 2 }],
  attempts: [],
  lastSeq: 3,
  serverTime: 5,
  ...extra,
});

describe('readPullResponse', () => {
  it('takes an answer of this format, keeping the fields it does not check', () => {
    const r = readPullResponse(answer({ newOptionalThing: true }));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.retirees[0]).toMatchObject({ id: 4, status: { state: 'open' } });
  });

  it('reads an answer from before the format had a version as version 1', () => {
    const { v: _, ...old } = answer();
    expect(readPullResponse(old)).toMatchObject({ ok: true, value: { v: 1 } });
  });

  it('refuses another format, and says which', () => {
    expect(readPullResponse(answer({ v: SYNC_WIRE_VERSION + 1 }))).toEqual({ ok: false, problem: expect.stringMatching(/format 2; this app reads format 1/) });
  });

  it('refuses an answer not shaped as its format says, naming where', () => {
    const broken = answer({ retirees: [{ id: '4', name: 'x' }] });
    expect(readPullResponse(broken)).toEqual({ ok: false, problem: expect.stringMatching(/retirees\.0\.id/) });
    expect(readPullResponse(answer({ lastSeq: -1 })).ok).toBe(false);
    expect(readPullResponse('<html>502</html>').ok).toBe(false);
    expect(readPullResponse(null).ok).toBe(false);
  });
});
