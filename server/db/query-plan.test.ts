// What counts as a sort in a PostgreSQL plan (queryPlan's plans are checked on both engines by the
// audit-log and retiree-page tests).
import { describe, expect, it } from 'vitest';
import { sortsOnPostgres } from './query-plan.ts';

describe('sortsOnPostgres', () => {
  it('finds a sort at the top or below, and an incremental sort on another key than the index’s', () => {
    expect(sortsOnPostgres('Sort\n  Sort Key: at DESC, id DESC\n  ->  Seq Scan on audit_log', 'at')).toBe(true);
    expect(sortsOnPostgres('Limit\n  ->  Sort\n        Sort Key: at DESC\n        ->  Bitmap Heap Scan on audit_log a', 'a.at')).toBe(true);
    expect(sortsOnPostgres('Limit\n  ->  Incremental Sort\n        Sort Key: a.event, a.at\n        Presorted Key: a.event', 'a.at')).toBe(true);
  });

  it('takes an index walk, with or without an incremental sort of equal keys by id', () => {
    expect(sortsOnPostgres('Limit\n  ->  Index Scan Backward using devices_by_user on devices\n        Index Cond: (user_id = 1)', '')).toBe(false);
    expect(sortsOnPostgres('Limit\n  ->  Incremental Sort\n        Sort Key: a.at DESC, a.id DESC\n        Presorted Key: a.at\n        ->  Index Scan Backward using audit_log_by_at on audit_log a', 'a.at')).toBe(false);
  });
});
