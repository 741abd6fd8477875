-- Times are INTEGER milliseconds since the Unix epoch (UTC); calendar dates are TEXT 'YYYY-MM-DD'
-- in the region's time zone.

CREATE TABLE regions (
  id            INTEGER PRIMARY KEY,
  code          TEXT NOT NULL UNIQUE CHECK (length(code) = 6),
  name          TEXT NOT NULL,
  time_zone     TEXT NOT NULL DEFAULT 'Asia/Shanghai',
  office_phone  TEXT,
  created_at    INTEGER NOT NULL
);

CREATE TABLE communities (
  id            INTEGER PRIMARY KEY,
  region_id     INTEGER NOT NULL REFERENCES regions(id),
  name          TEXT NOT NULL,
  office_phone  TEXT,
  UNIQUE (region_id, name)
);

CREATE TABLE certification_periods (
  id               INTEGER PRIMARY KEY,
  region_id        INTEGER NOT NULL REFERENCES regions(id),
  year             INTEGER NOT NULL,
  self_start       TEXT NOT NULL,
  self_end         TEXT NOT NULL,
  onsite_start     TEXT NOT NULL,
  onsite_end       TEXT NOT NULL,
  deadline         TEXT NOT NULL,
  suspension_date  TEXT NOT NULL,
  UNIQUE (region_id, year),
  CHECK (self_start <= self_end AND onsite_start <= onsite_end),
  CHECK (self_end <= deadline AND onsite_end <= deadline AND deadline < suspension_date)
);

CREATE TABLE retirees (
  id                INTEGER PRIMARY KEY,
  id_number         TEXT NOT NULL UNIQUE CHECK (length(id_number) = 18),
  name              TEXT NOT NULL,
  pension_category  TEXT NOT NULL CHECK (pension_category IN ('urban_employee', 'public_institution', 'urban_rural_resident')),
  community_id      INTEGER NOT NULL REFERENCES communities(id),
  address           TEXT NOT NULL DEFAULT '',
  phone             TEXT,
  enrolment         TEXT NOT NULL DEFAULT 'active' CHECK (enrolment IN ('active', 'suspended', 'deceased', 'moved', 'stopped')),
  -- First day a pension was paid: periods whose deadline is earlier do not apply.
  enrolled_on       TEXT NOT NULL,
  notes             TEXT,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);
CREATE INDEX retirees_by_community ON retirees (community_id);

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  role           TEXT NOT NULL CHECK (role IN ('retiree', 'family', 'worker', 'admin')),
  username       TEXT UNIQUE,
  retiree_id     INTEGER UNIQUE REFERENCES retirees(id),
  display_name   TEXT NOT NULL,
  phone          TEXT,
  -- scrypt hash of the password (staff, family) or PIN (retirees); NULL until a retiree activates.
  password_hash  TEXT,
  -- Admins belong to one office (region); NULL would mean every region.
  region_id      INTEGER REFERENCES regions(id),
  disabled       INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  CHECK ((role = 'retiree') = (retiree_id IS NOT NULL)),
  CHECK (role = 'retiree' OR username IS NOT NULL)
);

CREATE TABLE family_links (
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  retiree_id  INTEGER NOT NULL REFERENCES retirees(id),
  relation    TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (user_id, retiree_id)
);
CREATE INDEX family_links_by_retiree ON family_links (retiree_id);

CREATE TABLE worker_assignments (
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  community_id  INTEGER NOT NULL REFERENCES communities(id),
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (user_id, community_id)
);
CREATE INDEX worker_assignments_by_community ON worker_assignments (community_id);

-- One-time codes that let a retiree set the first PIN. Only a hash is kept.
CREATE TABLE activation_codes (
  id          INTEGER PRIMARY KEY,
  retiree_id  INTEGER NOT NULL REFERENCES retirees(id),
  code_hash   TEXT NOT NULL,
  issued_by   INTEGER REFERENCES users(id),
  issued_at   INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  used_at     INTEGER
);
CREATE INDEX activation_codes_by_retiree ON activation_codes (retiree_id);

-- A phone as seen by one user: a worker's phone may be shared, so the same client-generated id can
-- appear under several users.
CREATE TABLE devices (
  id            TEXT NOT NULL,
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  user_agent    TEXT,
  created_at    INTEGER NOT NULL,
  last_seen_at  INTEGER NOT NULL,
  PRIMARY KEY (id, user_id)
);

-- Lucia-style sessions: the token is "<id>.<secret>"; only SHA-256(secret) is stored.
CREATE TABLE sessions (
  id                TEXT PRIMARY KEY,
  user_id           INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  secret_hash       BLOB NOT NULL,
  device_id         TEXT,
  created_at        INTEGER NOT NULL,
  last_verified_at  INTEGER NOT NULL,
  expires_at        INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE certifications (
  id             INTEGER PRIMARY KEY,
  retiree_id     INTEGER NOT NULL REFERENCES retirees(id),
  period_id      INTEGER NOT NULL REFERENCES certification_periods(id),
  status         TEXT NOT NULL CHECK (status IN ('approved', 'pending_review', 'rejected')),
  method         TEXT NOT NULL CHECK (method IN ('self', 'family', 'worker', 'on_site', 'home_visit')),
  certified_on   TEXT NOT NULL,
  certified_at   INTEGER NOT NULL,
  -- What proves it: an attempt id, an attestation id, a paper form number.
  evidence_ref   TEXT,
  recorded_by    INTEGER REFERENCES users(id),
  decided_by     INTEGER REFERENCES users(id),
  decided_at     INTEGER,
  created_at     INTEGER NOT NULL
);
CREATE INDEX certifications_by_retiree ON certifications (retiree_id, period_id);
CREATE INDEX certifications_by_period ON certifications (period_id, status);

-- Failed sign-ins, keyed by the account name that was tried (whether or not it exists), so the
-- lock cannot be used to find out which ID numbers are enrolled.
CREATE TABLE login_throttle (
  key              TEXT PRIMARY KEY,
  failures         INTEGER NOT NULL,
  last_failure_at  INTEGER NOT NULL,
  locked_until     INTEGER
);

CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  event     TEXT NOT NULL,
  user_id   INTEGER,
  -- The account name tried, the retiree concerned, …: whatever the event is about.
  subject   TEXT,
  ip        TEXT,
  details   TEXT
);
CREATE INDEX audit_log_by_event ON audit_log (event, at);

CREATE TABLE settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
