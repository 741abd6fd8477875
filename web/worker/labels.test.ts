// The worker's words and marks for a check waiting for the server's face match (issue 14): settled
// like a review (not urgent, off the due list), said as "sent, being checked", never "certified".
import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import type { CertificationState } from '../../shared/certification-rules.ts';
import { compareUrgency } from '../../shared/roster.ts';
import type { AttemptOutcome } from '../../shared/sync.ts';
import { syntheticResult } from '../../shared/sync-fixtures.ts';
import type { AttemptRecord, RosterRecord } from '../data/index.ts';
import './catalog.ts';
import * as workerCatalog from '../i18n/worker.ts';
import { attemptOutcomeText, isEnrolled, markLabel, reviewLine, stateLabel } from './labels.ts';
import { createRosterView } from './roster-view.ts';

const open: CertificationState = { state: 'open', year: 2026, dueOn: '2026-06-30', daysLeft: 40, phase: { selfService: true, onSite: true } };
const verifying: CertificationState = { state: 'verifying', year: 2026, submittedOn: '2026-05-20', dueOn: '2026-06-30' };

function entry(id: number, status: CertificationState, pulledAt = 1_000): RosterRecord {
  return { id, retireeId: id, userId: 1, name: `R${id}`, communityName: 'C', idNumber: 'x', today: '2026-05-20', status, officePhone: null, pulledAt };
}

function attempt(retireeId: number, outcome: AttemptOutcome | undefined, createdAt = 2_000): AttemptRecord {
  return {
    id: `a${retireeId}`,
    userId: 1,
    retireeId,
    method: 'worker',
    seq: retireeId,
    createdAt,
    challengeId: null,
    challengeToken: null,
    result: syntheticResult({ seed: 1 }, 'passed'),
    frames: 2,
    audio: 0,
    syncState: outcome ? 'sent' : 'waiting',
    ...(outcome ? { outcome } : {}),
  };
}

describe('worker labels', () => {
  it('name the verifying state quietly, and rank it with reviews, after everything due', () => {
    expect(stateLabel(verifying)).toEqual({ text: '已发送，正在核对本人', tone: 'quiet' });
    expect(markLabel('verifying')).toEqual({ text: '已发送，正在核对是不是老人本人', tone: 'quiet' });
    const review: CertificationState = { state: 'under_review', year: 2026, method: 'worker', submittedOn: '2026-05-20', dueOn: '2026-06-30' };
    const order = [entry(3, verifying), entry(1, open), entry(2, review)].sort(compareUrgency).map((e) => e.id);
    expect(order).toEqual([1, 2, 3]);
  });

  it('marks a sent check waiting for its face match as verifying: off the due list, on the certified one', () => {
    createRoot((dispose) => {
      const roster = [entry(1, open), entry(2, open), entry(3, verifying)];
      const records = { attempts: [attempt(1, { kind: 'verifying' }), attempt(2, undefined), attempt(3, { kind: 'verifying' })], visits: [] };
      const view = createRosterView(() => roster, () => records);
      expect(view.mark(roster[0]!)).toBe('verifying');
      expect(view.mark(roster[1]!)).toBe('certified');
      // The server already says verifying: its own state label speaks, no local mark on top.
      expect(view.mark(roster[2]!)).toBe(null);
      expect(view.search('', 'due').map((e) => e.retireeId)).toEqual([]);
      expect(view.search('', 'certified').map((e) => e.retireeId)).toEqual([1, 2]);
      dispose();
    });
  });

  it('say a sent in-person enrolment is enrolled and waits for the office, other reviews as before (issue 14)', () => {
    const enrolled = attempt(1, { kind: 'review', reviewReason: 'enrolment' });
    expect(isEnrolled(enrolled)).toBe(true);
    expect(attemptOutcomeText(enrolled)).toBe('已建档，等待社保局确认');
    const first = attempt(2, { kind: 'review', reviewReason: 'no_reference' });
    expect(isEnrolled(first)).toBe(false);
    expect(attemptOutcomeText(first)).toBe('已交给社保局核对');
    expect(attemptOutcomeText(attempt(3, undefined))).toBe('');
  });

  it("say after a check sent to the office when it answers: the office queue's own promise (decision 084, issue 17)", () => {
    // English states it through the same {n} (web/i18n/review-promise.test.ts).
    expect(reviewLine()).toContain('一般 5 个工作日内有结果');
  });
});

// New-user walkthrough: "2025, October 13, 2025 (by themselves)" read as a year said twice; the
// first year is the certified period's (a January check can certify the year before), so it says so.
describe('the last certification on the retiree page', () => {
  it('names the period’s year as the period, apart from the day', () => {
    expect(workerCatalog.zh['w.page.lastCertValue']).toBe('{year} 年度：{date}（{method}）');
    expect(workerCatalog.en['w.page.lastCertValue']).toBe('For {year}: {date} ({method})');
  });
});
