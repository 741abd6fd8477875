// A county-sized region for the office benchmark (`npm run bench -- office`): N retirees (default
// 200,000) in 40 communities, last year's period certified, and this year's period open with half a
// year of attempts, reviews, home visits and an audit log behind it. Bulk SQL straight into a
// migrated database (the bench's own fixture, as the e2e tests have their own SQL): the server's
// write paths would take hours for a year of data, and what is measured is the office's reads.
//
// Shapes follow what the real paths store (decision 050: a certified attempt makes its
// certification through the `attempts_certify` trigger; a signed home visit makes a pending one).
// Every row is a function of its id, so two runs build the same region.
import type { Db } from '../../server/db/sqlite.ts';

export interface OfficeFixture {
  regionCode: string;
  regionId: number;
  periodId: number;
  retirees: number;
  attempts: number;
  visits: number;
  auditRows: number;
  /** A name and the last four ID digits that exist, for search probes. */
  sample: { name: string; idTail: string };
  /** A retiree with a year of history, and a community, for the record and filter probes. */
  sampleRetireeId: number;
  sampleCommunityId: number;
}

const DAY = 86_400_000;
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '秀英桂兰德明建国淑珍玉梅志强春花文华金凤永福国庆丽娟振华秀云';
const COMMUNITIES = 40;

/** yyyy-mm-dd of a time in Asia/Shanghai (the region's zone). */
const localDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

export async function buildOfficeRegion(db: Db, opts: { retirees: number; now: number; auditRows?: number }): Promise<OfficeFixture> {
  const n = opts.retirees;
  const now = opts.now;
  const start = now - 180 * DAY;
  const auditRows = opts.auditRows ?? n * 2;
  const code = '320999';
  const t0 = now - 400 * DAY;

  await db.exec('PRAGMA foreign_keys = OFF');
  await db.transaction(async () => {
    const region = await db.run("INSERT INTO regions (code, name, time_zone, office_phone, created_at) VALUES (?, '基准县', 'Asia/Shanghai', '0510-12345678', ?)", [code, t0]);
    const regionId = region.lastId;
    for (let c = 1; c <= COMMUNITIES; c++) {
      await db.run('INSERT INTO communities (region_id, name, office_phone) VALUES (?, ?, ?)', [regionId, `基准社区${String(c).padStart(2, '0')}`, `0510-8${String(c).padStart(6, '0')}`]);
    }
    // Last year's period, over; this year's, open: the self-service window began 180 days ago and
    // the deadline is four weeks away.
    const lastYear = start - 365 * DAY;
    await db.run(
      'INSERT INTO certification_periods (region_id, year, self_start, self_end, onsite_start, onsite_end, deadline, suspension_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [regionId, Number(localDay(lastYear).slice(0, 4)), localDay(lastYear), localDay(lastYear + 200 * DAY), localDay(lastYear), localDay(lastYear + 200 * DAY), localDay(lastYear + 200 * DAY), localDay(lastYear + 201 * DAY)],
    );
    await db.run(
      'INSERT INTO certification_periods (region_id, year, self_start, self_end, onsite_start, onsite_end, deadline, suspension_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [regionId, Number(localDay(start).slice(0, 4)), localDay(start), localDay(now + 28 * DAY), localDay(start), localDay(now + 28 * DAY), localDay(now + 28 * DAY), localDay(now + 29 * DAY)],
    );
  });
  const regionId = (await db.get<{ id: number }>('SELECT id FROM regions WHERE code = ?', [code]))!.id;
  const [previous, current] = await db.all<{ id: number }>('SELECT id FROM certification_periods WHERE region_id = ? ORDER BY year', [regionId]);
  const firstCommunity = (await db.get<{ id: number }>('SELECT min(id) AS id FROM communities WHERE region_id = ?', [regionId]))!.id;
  const base = (await db.get<{ id: number }>('SELECT coalesce(max(id), 0) AS id FROM retirees'))!.id;

  await db.transaction(async () => {
    // Retirees: the birth date and a serial in the ID number are functions of the id (unique for
    // ids below 10 million); 1% deceased, 0.5% moved, 0.5% stopped, 0.5% whose pension began after
    // this year's deadline.
    await db.run(
      `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?)
       INSERT INTO retirees (id, id_number, name, pension_category, community_id, address, phone, enrolment, enrolled_on, created_at, updated_at)
       SELECT ? + i,
              '320999' || printf('%04d%02d%02d', 1936 + i % 30, 1 + (i / 30) % 12, 1 + (i / 360) % 28) || printf('%03d', (i / 10080) % 1000) || (i % 10),
              substr(?, 1 + i % 20, 1) || substr(?, 1 + (i / 20) % 15 * 2, 2),
              CASE i % 10 WHEN 0 THEN 'public_institution' WHEN 1 THEN 'urban_rural_resident' WHEN 2 THEN 'urban_rural_resident' ELSE 'urban_employee' END,
              ? + i % ${COMMUNITIES},
              '基准社区' || printf('%02d', 1 + i % ${COMMUNITIES}) || ' ' || (1 + i % 97) || '号楼' || (1 + i % 6) || '单元',
              '139' || printf('%08d', i),
              CASE WHEN i % 100 = 7 THEN 'deceased' WHEN i % 200 = 13 THEN 'moved' WHEN i % 200 = 17 THEN 'stopped' ELSE 'active' END,
              CASE WHEN i % 200 = 19 THEN ? ELSE '2005-01-01' END,
              ?, ?
         FROM k`,
      [n, base, SURNAMES, GIVEN, firstCommunity, localDay(now + 60 * DAY), t0, t0],
    );
    // Accounts: 85% of retirees have activated the app; 40 workers (one per community), 2,000
    // family members. Ids far above anything else in the file.
    await db.run(
      `INSERT INTO users (id, role, retiree_id, display_name, password_hash, created_at, updated_at)
       SELECT 10000000 + id, 'retiree', id, name, 'bench-not-a-hash', ?, ? FROM retirees WHERE id > ? AND id % 20 NOT IN (3, 11, 15)`,
      [t0, t0, base],
    );
    await db.run(
      `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ${COMMUNITIES})
       INSERT INTO users (id, role, username, display_name, password_hash, created_at, updated_at)
       SELECT 20000000 + i, 'worker', 'bench.worker.' || i, '社区工作人员' || i, 'bench-not-a-hash', ?, ? FROM k`,
      [t0, t0],
    );
    await db.run(`INSERT INTO worker_assignments (user_id, community_id, created_at) SELECT 20000000 + (id - ?) + 1, id, ? FROM communities WHERE region_id = ?`, [firstCommunity, t0, regionId]);
    await db.run(
      `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 2000)
       INSERT INTO users (id, role, username, display_name, password_hash, created_at, updated_at)
       SELECT 30000000 + i, 'family', 'bench.family.' || i, '家属' || i, 'bench-not-a-hash', ?, ? FROM k`,
      [t0, t0],
    );
    await db.run(`INSERT INTO family_links (user_id, retiree_id, relation, created_at) SELECT 30000000 + 1 + (id % 2000), id, '女儿', ? FROM retirees WHERE id > ? AND id % 50 = 1`, [t0, base]);

    // Last year: 97% certified (self 70%, family 10%, worker 15%, on-site 5%).
    await db.run(
      `INSERT INTO certifications (retiree_id, period_id, status, method, certified_on, certified_at, recorded_by, created_at)
       SELECT id, ?, 'approved', CASE id % 20 WHEN 0 THEN 'family' WHEN 1 THEN 'family' WHEN 2 THEN 'worker' WHEN 3 THEN 'worker' WHEN 4 THEN 'worker' WHEN 5 THEN 'on_site' ELSE 'self' END,
              date(?, '+' || (id % 200) || ' days'), ? + (id % 200) * ${DAY}, NULL, ? + (id % 200) * ${DAY}
         FROM retirees WHERE id > ? AND id % 33 <> 0`,
      [previous!.id, localDay(start - 365 * DAY), start - 365 * DAY, start - 365 * DAY, base],
    );

    // This year so far: checks spread over the 180 days. 62% certified by a passed, matched check
    // (self, family or worker), 1.5% in review (a face the server was unsure of), 2% failed checks
    // before a later pass, 0.4% failed with nothing else yet.
    const attemptCols = 'id, retiree_id, user_id, device_id, seq, method, verdict, outcome, review_reason, period_id, certified_on, device_time, received_at, result, match_decision, match_distance, matched_at';
    const when = `(${start} + ((id * 7919) % 180) * ${DAY} + (id % 36000) * 1000)`;
    const method = `CASE id % 20 WHEN 0 THEN 'family' WHEN 1 THEN 'family' WHEN 2 THEN 'worker' WHEN 3 THEN 'worker' ELSE 'self' END`;
    const userOf = `CASE id % 20 WHEN 0 THEN 30000000 + 1 + (id % 2000) WHEN 1 THEN 30000000 + 1 + (id % 2000) WHEN 2 THEN 20000000 + 1 + (id % ${COMMUNITIES}) WHEN 3 THEN 20000000 + 1 + (id % ${COMMUNITIES}) ELSE 10000000 + id END`;
    const result = `'{"verdict":"passed","steps":["blink","turn_left"],"durationMs":14000,"frames":210}'`;
    await db.run(
      `INSERT INTO attempts (${attemptCols})
       SELECT 'bench-f-' || id, id, ${userOf}, 'bench-dev-' || id, 1, ${method}, 'failed', 'not_passed', NULL, ?, NULL, ${when} - 3600000, ${when} - 3600000, '{"verdict":"failed"}', NULL, NULL, NULL
         FROM retirees WHERE id > ? AND id % 50 IN (2, 5)`,
      [current!.id, base],
    );
    await db.run(
      `INSERT INTO attempts (${attemptCols})
       SELECT 'bench-c-' || id, id, ${userOf}, 'bench-dev-' || id, 2, ${method}, 'passed', 'certified', NULL, ?, date(${when} / 1000 + 28800, 'unixepoch'), ${when}, ${when}, ${result}, 'match', 0.31 + (id % 10) / 100.0, ${when} + 4000
         FROM retirees WHERE id > ? AND id % 100 < 62 AND id % 100 <> 7 AND id % 200 NOT IN (13, 17, 19)`,
      [current!.id, base],
    );
    await db.run(
      `INSERT INTO attempts (${attemptCols})
       SELECT 'bench-r-' || id, id, ${userOf}, 'bench-dev-' || id, 2, ${method}, 'passed', 'review', 'face_uncertain', ?, date(${when} / 1000 + 28800, 'unixepoch'), ${when}, ${when}, ${result}, 'uncertain', 0.52, ${when} + 4000
         FROM retirees WHERE id > ? AND id % 200 IN (150, 151, 152)`,
      [current!.id, base],
    );
    await db.run(
      `INSERT INTO attempts (${attemptCols})
       SELECT 'bench-n-' || id, id, ${userOf}, 'bench-dev-' || id, 1, ${method}, 'failed', 'not_passed', NULL, ?, NULL, ${when}, ${when}, '{"verdict":"failed"}', NULL, NULL, NULL
         FROM retirees WHERE id > ? AND id % 250 = 99`,
      [current!.id, base],
    );
    // Home visits: not at home (0.5%), signed bedridden attestations waiting for the office (0.3%;
    // the trigger makes their pending certification), deaths reported (0.1%).
    const visitCols = 'id, retiree_id, user_id, device_id, seq, kind, reason, note, period_id, received_on, answer, review, signature, device_time, received_at';
    const worker = `20000000 + 1 + (id % ${COMMUNITIES})`;
    await db.run(
      `INSERT INTO visit_outcomes (${visitCols})
       SELECT 'bench-v-' || id, id, ${worker}, 'bench-worker-dev-' || (id % ${COMMUNITIES}), 1000 + id,
              CASE WHEN id % 1000 IN (3, 4, 5) THEN 'cannot_check' WHEN id % 1000 = 6 THEN 'deceased' ELSE 'not_home' END,
              CASE WHEN id % 1000 IN (3, 4, 5) THEN 'bedridden' END,
              '', ?, date(${when} / 1000 + 28800, 'unixepoch'), '{}',
              CASE WHEN id % 1000 IN (3, 4, 5, 6) THEN 'pending' END,
              CASE WHEN id % 1000 IN (3, 4, 5) THEN 'verified' END,
              ${when}, ${when}
         FROM retirees WHERE id > ? AND id % 100 >= 62 AND (id % 200 IN (70, 71, 72, 73, 74) OR id % 1000 IN (3, 4, 5, 6))`,
      [current!.id, base],
    );
    // The audit log: sign-ins and pushes over the year, about two rows per retiree.
    await db.run(
      `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?)
       INSERT INTO audit_log (at, event, user_id, subject, ip, details)
       SELECT ? + (i * 7907 % 545) * ${DAY / 3},
              CASE i % 10 WHEN 0 THEN 'sign_in_failed' WHEN 1 THEN 'pin_changed' ELSE 'sign_in' END,
              10000000 + ? + 1 + (i % ?),
              CASE i % 10 WHEN 0 THEN 'retiree:' || (? + 1 + (i % ?)) END,
              '10.' || (i % 250) || '.' || (i / 250 % 250) || '.1',
              CASE i % 10 WHEN 0 THEN '{"purpose":"sign_in","attemptsLeft":4}' ELSE '{"deviceId":"bench-dev-' || i || '"}' END
         FROM k`,
      [auditRows, t0, base, n, base, n],
    );
  });
  await db.exec('PRAGMA foreign_keys = ON');
  await db.exec('ANALYZE');

  const count = async (sql: string, params: (string | number)[] = []) => (await db.get<{ n: number }>(sql, params))!.n;
  const sampleRow = (await db.get<{ id: number; name: string; id_number: string; community_id: number }>('SELECT id, name, id_number, community_id FROM retirees WHERE id = ?', [base + Math.floor(n / 3)]))!;
  return {
    regionCode: code,
    regionId,
    periodId: current!.id,
    retirees: n,
    attempts: await count("SELECT count(*) AS n FROM attempts WHERE id LIKE 'bench-%'"),
    visits: await count("SELECT count(*) AS n FROM visit_outcomes WHERE id LIKE 'bench-%'"),
    auditRows,
    sample: { name: sampleRow.name, idTail: sampleRow.id_number.slice(-4) },
    sampleRetireeId: sampleRow.id,
    sampleCommunityId: sampleRow.community_id,
  };
}
