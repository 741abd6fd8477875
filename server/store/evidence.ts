// The evidence a check or a visit leaves: key frames and the digits audio (attempt_blobs), and a home
// visit's photo of the retiree (visit_outcomes.photo). Kept for the retention period (Help and the
// consent screen say 3 years), then deleted; the decisions they backed stay: the attempt rows with
// their outcome and match distance, certifications, the office's review decisions (issue 15,
// decision 052).
import type { Db } from '../db/sqlite.ts';

export interface ErasedEvidence {
  frames: number;
  audio: number;
  photos: number;
  bytes: number;
}

export const NOTHING_ERASED: ErasedEvidence = { frames: 0, audio: 0, photos: 0, bytes: 0 };

export const addErased = (a: ErasedEvidence, b: ErasedEvidence): ErasedEvidence => ({ frames: a.frames + b.frames, audio: a.audio + b.audio, photos: a.photos + b.photos, bytes: a.bytes + b.bytes });

// An attempt the server or the office has not decided yet keeps its evidence whatever its age: the
// face match needs its frames, the office its pictures.
const UNDECIDED = "(a.outcome = 'verifying' OR (a.outcome = 'review' AND a.decision IS NULL))";

function blobsErased(rows: { kind: 'frame' | 'audio'; bytes: number }[]): ErasedEvidence {
  return {
    frames: rows.filter((r) => r.kind === 'frame').length,
    audio: rows.filter((r) => r.kind === 'audio').length,
    photos: 0,
    bytes: rows.reduce((s, r) => s + r.bytes, 0),
  };
}

/**
 * One batch of the daily deletion of key frames and audio: the blobs after blob row `after`, oldest
 * first, whose attempt reached the server before `cutoff` and is decided. Blob rows are appended in
 * arrival order (decision 048) and deleted ones are gone, so a run starts at row 0 and reads only
 * what is left; it stops a day's worth of rows past the cutoff. `next` is where the next batch
 * starts, or null when the run is done.
 */
export async function eraseExpiredBlobs(db: Db, cutoff: number, after: number, limit: number): Promise<{ erased: ErasedEvidence; next: number | null }> {
  const rows = await db.all<{ rowid: number; received_at: number; undecided: number }>(
    `SELECT b.rowid AS rowid, a.received_at, ${UNDECIDED} AS undecided
       FROM attempt_blobs b JOIN attempts a ON a.id = b.attempt_id WHERE b.rowid > ? ORDER BY b.rowid LIMIT ?`,
    [after, limit],
  );
  const expired = rows.filter((r) => r.received_at < cutoff && !r.undecided).map((r) => r.rowid);
  const erased = expired.length
    ? blobsErased(await db.all(`DELETE FROM attempt_blobs WHERE rowid IN ${db.dialect.jsonValues('?', 'int')} RETURNING kind, bytes`, [JSON.stringify(expired)]))
    : NOTHING_ERASED;
  const past = rows.some((r) => r.received_at >= cutoff + 86_400_000);
  return { erased, next: rows.length < limit || past ? null : rows[rows.length - 1]!.rowid };
}

/** One batch of the daily deletion of visit photos: reports that arrived before `cutoff` and are not waiting for the office. */
export async function eraseExpiredPhotos(db: Db, cutoff: number, limit: number): Promise<ErasedEvidence> {
  // The photo's size, hash and pixel size stay with the report: they say there was one, not what it showed.
  const rows = await db.all<{ bytes: number | null }>(
    `UPDATE visit_outcomes SET photo = NULL WHERE id IN (
       SELECT id FROM visit_outcomes WHERE photo IS NOT NULL AND received_at < ? AND (review IS NULL OR review <> 'pending') LIMIT ?)
     RETURNING photo_bytes AS bytes`,
    [cutoff, limit],
  );
  return { frames: 0, audio: 0, photos: rows.length, bytes: rows.reduce((s, r) => s + (r.bytes ?? 0), 0) };
}

/** Deletes every key frame, recording and visit photo of one retiree, decided or not (erasure on request). */
export async function eraseEvidenceOf(db: Db, retireeId: number): Promise<ErasedEvidence> {
  const blobs = blobsErased(
    await db.all('DELETE FROM attempt_blobs WHERE attempt_id IN (SELECT id FROM attempts WHERE retiree_id = ?) RETURNING kind, bytes', [retireeId]),
  );
  const photos = await db.all<{ bytes: number | null }>('UPDATE visit_outcomes SET photo = NULL WHERE retiree_id = ? AND photo IS NOT NULL RETURNING photo_bytes AS bytes', [retireeId]);
  return addErased(blobs, { frames: 0, audio: 0, photos: photos.length, bytes: photos.reduce((s, r) => s + (r.bytes ?? 0), 0) });
}

/**
 * Runs `fn` in one write transaction with SQLite's secure_delete on: the erased bytes are overwritten
 * with zeros in the database's pages instead of lingering in free pages.
 */
export async function erasingTransaction<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  return db.transaction(async () => {
    const { eraseBefore, eraseAfter } = db.dialect;
    if (eraseBefore) await db.exec(eraseBefore);
    try {
      return await fn();
    } finally {
      if (eraseAfter) await db.exec(eraseAfter);
    }
  });
}

/**
 * Copies the WAL back into the database file and truncates it, so no older copy of the erased pages
 * stays in the -wal (on the write connection: a read-only one cannot checkpoint). A reader in the
 * middle of a long read can hold it up; the next checkpoint then finishes the job.
 */
export async function checkpointErasure(db: Db): Promise<void> {
  if (db.dialect.reclaimSpace) await db.exec(db.dialect.reclaimSpace);
}
