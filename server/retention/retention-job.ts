// The daily retention job (issue 15, decision 052). Help and the consent screen promise that each
// check's pictures are kept 3 years and then deleted, and that reference photos go with the
// retiree's record: once at start and then every 24 hours it deletes the key frames, audio and
// home-visit photos older than config.retentionDays (except evidence still waiting for a decision),
// and erases the reference faces of retirees taken off the rolls (deceased, moved, pension stopped)
// more than OFF_ROLLS_GRACE_DAYS ago. Decisions stay. Each batch is its own short transaction, so
// pushes are never held up for long.
import type { Db } from '../db/sqlite.ts';
import type { Logger } from '../errors.ts';
import { audit } from '../store/audit.ts';
import { addErased, checkpointErasure, eraseExpiredBlobs, eraseExpiredPhotos, erasingTransaction, NOTHING_ERASED, type ErasedEvidence } from '../store/evidence.ts';
import { eraseReferencesOf, offRollsWithReferences } from '../store/reference-faces.ts';

const DAY = 86_400_000;
/** Time for the office to undo a wrongly approved death or move before the reference photos go. */
export const OFF_ROLLS_GRACE_DAYS = 30;
const BATCH = 200;

export interface RetentionDeps {
  db: Db;
  now: () => number;
  retentionDays: number;
  logger?: Logger;
  /** Blobs or photos per transaction (tests make it small). */
  batchSize?: number;
}

export interface RetentionReport extends ErasedEvidence {
  /** Retirees off the rolls whose reference faces were erased. */
  retirees: number;
  references: number;
}

export async function runRetention({ db, now, retentionDays, batchSize = BATCH }: RetentionDeps): Promise<RetentionReport> {
  const at = now();
  const cutoff = at - retentionDays * DAY;
  let erased = NOTHING_ERASED;
  for (let after: number | null = 0; after !== null; ) {
    const batch = await erasingTransaction(db, () => eraseExpiredBlobs(db, cutoff, after!, batchSize));
    erased = addErased(erased, batch.erased);
    after = batch.next;
  }
  for (;;) {
    const photos = await erasingTransaction(db, () => eraseExpiredPhotos(db, cutoff, batchSize));
    erased = addErased(erased, photos);
    if (photos.photos < batchSize) break;
  }
  let retirees = 0;
  let references = 0;
  for (const retireeId of await offRollsWithReferences(db, at - OFF_ROLLS_GRACE_DAYS * DAY)) {
    const n = await erasingTransaction(db, async () => {
      const count = await eraseReferencesOf(db, retireeId, null, at, 'off the rolls');
      await audit(db, at, { event: 'biometrics_erased', subject: `retiree:${retireeId}`, details: { reason: 'off the rolls', references: count } });
      return count;
    });
    retirees++;
    references += n;
  }
  const report: RetentionReport = { ...erased, retirees, references };
  if (erased.frames + erased.audio + erased.photos > 0) {
    await audit(db, at, { event: 'evidence_expired', details: { retentionDays, before: new Date(cutoff).toISOString(), ...erased } });
  }
  if (erased.frames + erased.audio + erased.photos + references > 0) await checkpointErasure(db);
  return report;
}

/**
 * Runs the job now and then every `intervalMs` (24 h); one run at a time. `stop()` waits for a run
 * in progress. `firstRun` settles when the run at start has finished.
 */
export function startRetention(deps: RetentionDeps, intervalMs = DAY): { firstRun: Promise<RetentionReport | null>; stop(): Promise<void> } {
  let running: Promise<RetentionReport | null> = Promise.resolve(null);
  let stopped = false;
  const run = () => {
    running = running.then(async () => {
      if (stopped) return null;
      try {
        const r = await runRetention(deps);
        if (r.frames + r.audio + r.photos + r.references > 0) {
          deps.logger?.info(`retention: deleted ${r.frames} key frames, ${r.audio} recordings and ${r.photos} visit photos older than ${deps.retentionDays} days (${(r.bytes / 1_048_576).toFixed(1)} MB); erased ${r.references} reference faces of ${r.retirees} retirees off the rolls`);
        }
        return r;
      } catch (err) {
        deps.logger?.error('retention job failed', { error: String(err) });
        return null;
      }
    });
    return running;
  };
  const firstRun = run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return {
    firstRun,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
