// The consent choice before the first face check (docs/decisions/036): saved on the phone first
// (it works offline), then sent to POST /api/consents; unsent choices are sent again whenever the
// app opens or the signal returns. The id is made on the phone, so a resend is never a second row.
import { CONSENT_NOTICE_VERSION, type ConsentChoice, type ConsentRecord } from '../../shared/schemas/consent.ts';
import { uuidv7 } from '../../shared/uuid7.ts';
import { api, ApiError } from '../api/client.ts';
import { readSetting, writeSetting, type LocalConsent } from '../data/index.ts';

export type { LocalConsent };

const keyOf = (userId: number, retireeId: number) => `consent:${userId}:${retireeId}` as const;

/**
 * The choice that applies to this retiree on this phone: the one kept here, else (new phone, with
 * signal) the one the server has. Undefined: ask.
 */
export async function currentConsent(userId: number, retireeId: number): Promise<LocalConsent | undefined> {
  const kept = await readSetting(keyOf(userId, retireeId)).catch(() => undefined);
  if (kept && kept.noticeVersion >= CONSENT_NOTICE_VERSION) return kept;
  try {
    const { consent } = await api<{ consent: ConsentRecord | null }>(`/api/consents?retireeId=${retireeId}`);
    if (!consent || consent.noticeVersion < CONSENT_NOTICE_VERSION) return undefined;
    const local: LocalConsent = { id: consent.id, retireeId, choice: consent.choice, noticeVersion: consent.noticeVersion, decidedAt: consent.decidedAt, sent: true };
    await writeSetting(keyOf(userId, retireeId), local).catch(() => undefined);
    return local;
  } catch {
    return undefined;
  }
}

/** Records a choice on the phone (resolves once kept), then sends it in the background. */
export async function recordConsent(userId: number, retireeId: number, choice: ConsentChoice): Promise<LocalConsent> {
  const local: LocalConsent = { id: uuidv7(), retireeId, choice, noticeVersion: CONSENT_NOTICE_VERSION, decidedAt: Date.now(), sent: false };
  await writeSetting(keyOf(userId, retireeId), local);
  void sendConsent(userId, retireeId);
  return local;
}

/** Sends the kept choice if the server does not have it yet; true when it is there now. */
export async function sendConsent(userId: number, retireeId: number): Promise<boolean> {
  const key = keyOf(userId, retireeId);
  const local = await readSetting(key).catch(() => undefined);
  if (!local) return false;
  if (local.sent) return true;
  try {
    await api('/api/consents', { json: { id: local.id, retireeId, choice: local.choice, noticeVersion: local.noticeVersion, decidedAt: local.decidedAt } });
  } catch (err) {
    // 409: this id is already stored (with what we sent first); anything else: try again later.
    if (!(err instanceof ApiError && err.code === 'conflict')) return false;
  }
  const now = await readSetting(key).catch(() => undefined);
  if (now?.id === local.id) await writeSetting(key, { ...local, sent: true });
  return true;
}
