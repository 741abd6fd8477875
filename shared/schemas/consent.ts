// Consent to the face check: what the phone sends (POST /api/consents) and what the server answers.
import * as v from 'valibot';
import { answer, endpoint } from '../contract.ts';
import { UUID7_RE } from '../uuid7.ts';

export const CONSENT_CHOICES = ['face', 'alternative'] as const;
export type ConsentChoice = (typeof CONSENT_CHOICES)[number];

/** The version of the consent notice the app shows; the server stores which one was seen. */
// 2 (issue 14): the notice says the check's pictures are compared with a reference photo on the server;
// everyone who agreed to version 1 is asked again before their next check.
export const CONSENT_NOTICE_VERSION = 2;

export const ConsentInput = v.strictObject({
  id: v.pipe(v.string(), v.regex(UUID7_RE, 'id must be a UUIDv7 made on the phone')),
  retireeId: v.pipe(v.number(), v.integer(), v.minValue(1)),
  choice: v.picklist(CONSENT_CHOICES, 'choice must be "face" or "alternative"'),
  noticeVersion: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)),
  decidedAt: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type ConsentInput = v.InferOutput<typeof ConsentInput>;

export interface ConsentRecord {
  id: string;
  retireeId: number;
  choice: ConsentChoice;
  noticeVersion: number;
  decidedAt: number;
  receivedAt: number;
  /** Who recorded it: 'self' when the retiree did, otherwise the recorder's role. */
  recordedBy: 'self' | 'family' | 'worker';
}

/** The latest choice for a retiree, or null (a new phone asks before showing the notice again). */
export interface LatestConsent {
  consent: ConsentRecord | null;
}

/** The contracts (shared/contract.ts, decision 086). The phone sends new choices in the push (decision 085). */
export const CONSENT = {
  /** Query: retireeId. */
  latest: endpoint({ method: 'GET', path: '/api/consents', answer: answer<LatestConsent>() }),
  /** The installed older app's way to send a choice, kept until no such app is in use (decision 085). */
  record: endpoint({ method: 'POST', path: '/api/consents', body: ConsentInput, answer: answer<{ consent: ConsentRecord }>() }),
};
