// The office erases a retiree's biometric data on request (issue 15, decision 052): every key frame,
// recording and home-visit photo of the retiree, and every reference face (photo and descriptor).
// What was decided stays: attempts with their outcomes and match distances, certifications, the
// office's review decisions, and an audit entry saying who erased what and why.
import type { Db } from '../db/sqlite.ts';
import { audit } from '../store/audit.ts';
import { checkpointErasure, eraseEvidenceOf, erasingTransaction, type ErasedEvidence } from '../store/evidence.ts';
import { withdrawFromMatch } from '../store/match-jobs.ts';
import { eraseReferencesOf } from '../store/reference-faces.ts';

export interface BiometricsErased extends ErasedEvidence {
  /** Reference faces erased (active and pending). */
  references: number;
  /** Checks that were waiting for their face match: now with the office, as `biometrics_erased`. */
  withdrawn: number;
}

export async function eraseBiometrics(db: Db, o: { retireeId: number; by: number | null; at: number; reason: string; ip?: string | null }): Promise<BiometricsErased> {
  const erased = await erasingTransaction(db, async () => {
    // First out of the match queue: a match running now finds its attempt no longer `verifying` and
    // writes nothing (recordMatch), so no reference is made from a frame that is being erased.
    const withdrawn = await withdrawFromMatch(db, o.retireeId, 'biometrics_erased', o.at);
    const evidence = await eraseEvidenceOf(db, o.retireeId);
    const references = await eraseReferencesOf(db, o.retireeId, o.by, o.at, `erased: ${o.reason}`);
    const result: BiometricsErased = { ...evidence, references, withdrawn };
    await audit(db, o.at, { event: 'biometrics_erased', userId: o.by, subject: `retiree:${o.retireeId}`, ip: o.ip ?? null, details: { reason: o.reason, ...result } });
    return result;
  });
  await checkpointErasure(db);
  return erased;
}
