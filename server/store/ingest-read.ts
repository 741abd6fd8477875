// What a group of pushes needs to know before it is decided (server/sync/ingest.ts, decision 012):
// earlier answers for the same ids, claimed challenge tokens, each device's applied sequence, the
// retirees concerned with their region's periods and approved certifications, and the sessions the
// requests came with — in ONE kept statement, inside the group's transaction. On a busy event loop
// every round trip to the driver's thread waits its turn while the transaction holds the write lock.
import type { CertificationPeriod } from '../../shared/certification-rules.ts';
import type { AttemptOutcome, PushResult, RejectReason, ReviewReason, VisitResult } from '../../shared/sync.ts';
import { postgresDialect, sqliteDialect, type Dialect } from '../db/dialect.ts';
import type { Db } from '../db/sqlite.ts';
import { attemptOutcome } from './attempts.ts';
import { linkDecisionAnswers } from './link-decisions.ts';
import { visitRequestAnswers } from './visit-requests.ts';
import { consentAnswers } from './consents.ts';
import type { LiveSessionRow } from './sessions.ts';

export interface RetireeInfo {
  id: number;
  enrolment: string;
  region_id: number;
  time_zone: string;
}

/** The group's view of the database, read in its transaction. */
export interface GroupState {
  /** What the server already answered for these ids, and to whom. */
  known: Map<string, { userId: number; answer: PushResult }>;
  /** Challenge tokens already claimed. */
  usedTokens: Set<string>;
  retirees: Map<number, RetireeInfo>;
  /** The periods of each retiree's region, by region id. */
  periods: Map<number, CertificationPeriod[]>;
  /** `${retireeId}:${periodId}` of every approved certification. */
  approved: Set<string>;
  /** The last applied sequence per `${deviceId}\u0000${userId}`. */
  storedSeq: Map<string, number>;
  sessions: Map<string, LiveSessionRow>;
}

/** Which rows to read: every list goes in as JSON. */
export interface GroupKeys {
  /** Ids of items that could have been stored before (attempts, rejections, visits, link decisions). */
  ids: string[];
  linkIds: string[];
  /** Home-visit requests (issue 17): read only when a group has one. */
  visitRequestIds: string[];
  /** Consent choices (issue 21, decision 085): read only when a group has one. */
  consentIds: string[];
  tokenIds: string[];
  deviceIds: string[];
  /** Retirees an item may certify or report on. */
  retireeIds: number[];
  sessionIds: string[];
}

const groupRows = (d: Dialect) => {
  const IN_LIST = (n: number, type: 'int' | 'text' = 'text') => `IN ${d.jsonValues(`?${n}`, type)}`;
  return `
  SELECT 'a' AS k, id AS s, user_id AS n1, seq AS n2, period_id AS n3, outcome AS t1, review_reason AS t2, certified_on AS t3, NULL AS t4, NULL AS t5, NULL AS t6
    FROM attempts WHERE id ${IN_LIST(1)}
  UNION ALL SELECT 'r', id, user_id, seq, NULL, reason, NULL, NULL, NULL, NULL, NULL FROM sync_rejections WHERE id ${IN_LIST(1)}
  UNION ALL SELECT 'o', id, user_id, seq, NULL, answer, NULL, NULL, NULL, NULL, NULL FROM visit_outcomes WHERE id ${IN_LIST(1)}
  UNION ALL SELECT 'u', challenge_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM challenge_uses WHERE challenge_id ${IN_LIST(2)}
  UNION ALL SELECT 'c', device_id, user_id, last_seq, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM sync_clients WHERE device_id ${IN_LIST(3)}
  UNION ALL SELECT 'x', NULL, r.id, c.region_id, NULL, r.enrolment, g.time_zone, NULL, NULL, NULL, NULL
    FROM retirees r JOIN communities c ON c.id = r.community_id JOIN regions g ON g.id = c.region_id WHERE r.id ${IN_LIST(4, 'int')}
  UNION ALL SELECT 'p', NULL, p.id, p.region_id, p.year, p.self_start, p.self_end, p.onsite_start, p.onsite_end, p.deadline, p.suspension_date
    FROM certification_periods p WHERE p.region_id IN (SELECT c.region_id FROM retirees r JOIN communities c ON c.id = r.community_id WHERE r.id ${IN_LIST(4, 'int')})
  UNION ALL SELECT 'v', NULL, retiree_id, period_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM certifications WHERE status = 'approved' AND retiree_id ${IN_LIST(4, 'int')}
  UNION ALL SELECT 's', s.id, s.user_id, s.created_at, s.last_verified_at, u.role, s.device_id, CAST(u.disabled AS TEXT), CAST(u.retiree_id AS TEXT), CAST(u.region_id AS TEXT), NULL
    FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id ${IN_LIST(5)}`;
};
// The rows come back as ONE JSON text: the driver builds a JS object per row and column, which for
// ~120 rows × 11 columns cost more than the query (0.44 against 0.16 ms, plus 0.03 ms JSON.parse).
const groupRead = (d: Dialect) => `SELECT ${d.jsonArrayAgg(d.jsonArray('k', 's', 'n1', 'n2', 'n3', 't1', 't2', 't3', 't4', 't5', 't6'))} AS rows FROM (${groupRows(d)}) AS g`;
const GROUP_READ = new Map([sqliteDialect, postgresDialect].map((d) => [d, groupRead(d)]));
type GroupRow = [k: string, id: string | null, n1: number | null, n2: number | null, n3: number | null, t1: string | null, t2: string | null, t3: string | null, t4: string | null, t5: string | null, t6: string | null];

export async function readGroupState(db: Db, keys: GroupKeys): Promise<GroupState> {
  const [read] = await db.prepare(GROUP_READ.get(db.dialect)!).all<{ rows: string }>(
    [JSON.stringify(keys.ids), JSON.stringify(keys.tokenIds), JSON.stringify(keys.deviceIds), JSON.stringify(keys.retireeIds), JSON.stringify(keys.sessionIds)],
  );
  const state: GroupState = { known: new Map(), usedTokens: new Set(), retirees: new Map(), periods: new Map(), approved: new Set(), storedSeq: new Map(), sessions: new Map() };
  for (const [k, id, n1, n2, n3, t1, t2, t3, t4, t5, t6] of JSON.parse(read!.rows) as GroupRow[]) {
    switch (k) {
      case 'a':
        state.known.set(id!, {
          userId: n1!,
          answer: { id: id!, seq: n2!, status: 'accepted', outcome: attemptOutcome({ outcome: t1 as AttemptOutcome['kind'], review_reason: t2 as ReviewReason | null, period_id: n3, certified_on: t3 }) },
        });
        break;
      case 'r':
        state.known.set(id!, { userId: n1!, answer: { id: id!, seq: n2!, status: 'rejected', reason: t1 as RejectReason } });
        break;
      case 'o':
        state.known.set(id!, { userId: n1!, answer: { id: id!, seq: n2!, status: 'accepted', outcome: JSON.parse(t1!) as VisitResult } });
        break;
      case 'u':
        state.usedTokens.add(id!);
        break;
      case 'c':
        state.storedSeq.set(`${id}\u0000${n1}`, n2!);
        break;
      case 'x':
        state.retirees.set(n1!, { id: n1!, region_id: n2!, enrolment: t1!, time_zone: t2! });
        break;
      case 'p': {
        const list = state.periods.get(n2!) ?? [];
        list.push({ id: n1!, year: n3!, selfStart: t1!, selfEnd: t2!, onsiteStart: t3!, onsiteEnd: t4!, deadline: t5!, suspensionDate: t6! });
        state.periods.set(n2!, list);
        break;
      }
      case 'v':
        state.approved.add(`${n1}:${n2}`);
        break;
      case 's': {
        const int = (v: string | null) => (v === null ? null : Number(v));
        state.sessions.set(id!, { user_id: n1!, created_at: n2!, last_verified_at: n3!, role: t1 as LiveSessionRow['role'], device_id: t2, disabled: Number(t3), retiree_id: int(t4), region_id: int(t5) });
        break;
      }
    }
  }
  // Family link decisions (issue 19) are rare: their earlier answers are read only when a group has one.
  if (keys.linkIds.length) for (const [id, prior] of await linkDecisionAnswers(db, keys.linkIds)) if (!state.known.has(id)) state.known.set(id, prior);
  if (keys.visitRequestIds.length) for (const [id, prior] of await visitRequestAnswers(db, keys.visitRequestIds)) if (!state.known.has(id)) state.known.set(id, prior);
  if (keys.consentIds.length) for (const [id, prior] of await consentAnswers(db, keys.consentIds)) if (!state.known.has(id)) state.known.set(id, prior);
  return state;
}
