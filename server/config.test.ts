import { expect, it } from 'vitest';
import { loadConfig } from './config.ts';

it('has working defaults: port 8787, data/stillhere.sqlite, demo data outside production', () => {
  const c = loadConfig({}, '/srv/app');
  expect(c).toMatchObject({ port: 8787, host: '127.0.0.1', databasePath: '/srv/app/data/stillhere.sqlite', webDist: '/srv/app/dist', timeZone: 'Asia/Shanghai', seedDemo: true, cookieSecure: 'auto', trustProxy: false });
  expect(c).toMatchObject({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000 });
  expect(loadConfig({ NODE_ENV: 'production' }, '/srv/app').seedDemo).toBe(false);
  expect(loadConfig({ NODE_ENV: 'production', SEED_DEMO: '1' }, '/srv/app').seedDemo).toBe(true);
});

it('reads overrides', () => {
  const c = loadConfig({ PORT: '9000', DATABASE_PATH: '/tmp/x.sqlite', TRUST_PROXY: 'true', COOKIE_SECURE: 'false', ALLOWED_ORIGINS: 'http://a:1, http://b:2' }, '/srv');
  expect(c).toMatchObject({ port: 9000, databasePath: '/tmp/x.sqlite', trustProxy: true, cookieSecure: false, allowedOrigins: ['http://a:1', 'http://b:2'] });
});

it.each([
  [{ PORT: 'eighty' }, /PORT must be a port number/],
  [{ PORT: '70000' }, /PORT must be a port number/],
  [{ TIME_ZONE: 'China/Beijing' }, /not a known IANA time zone/],
  [{ TRUST_PROXY: 'maybe' }, /TRUST_PROXY must be true or false/],
  [{ REQUEST_TIMEOUT_MS: '30s' }, /REQUEST_TIMEOUT_MS must be a whole number of milliseconds/],
  [{ HEADERS_TIMEOUT_MS: '60000', REQUEST_TIMEOUT_MS: '30000' }, /must not be longer than REQUEST_TIMEOUT_MS/],
  [{ KEEP_ALIVE_TIMEOUT_MS: '0' }, /KEEP_ALIVE_TIMEOUT_MS must be/],
])('refuses %o with a clear message', (env, message) => {
  expect(() => loadConfig(env, '/srv')).toThrow(message);
});

it('reads the daily push quota as RECORDS/MB and the retention in days (decision 052)', () => {
  const d = loadConfig({}, '/srv');
  expect(d.pushQuota.retiree).toEqual({ records: 30, bytes: 3 * 1024 * 1024 });
  expect(d.pushQuota.worker).toEqual({ records: 600, bytes: 40 * 1024 * 1024 });
  expect(d.retentionDays).toBe(1096);
  const c = loadConfig({ QUOTA_RETIREE: '5/0.5', QUOTA_DEVICE: '100/20', RETENTION_DAYS: '30' }, '/srv');
  expect(c.pushQuota.retiree).toEqual({ records: 5, bytes: 512 * 1024 });
  expect(c.pushQuota.device).toEqual({ records: 100, bytes: 20 * 1024 * 1024 });
  expect(c.pushQuota.family).toEqual(d.pushQuota.family);
  expect(c.retentionDays).toBe(30);
  expect(() => loadConfig({ QUOTA_WORKER: '600' }, '/srv')).toThrow(/QUOTA_WORKER must be RECORDS\/MB per day/);
  expect(() => loadConfig({ QUOTA_FAMILY: '0/5' }, '/srv')).toThrow(/QUOTA_FAMILY must be RECORDS\/MB/);
  expect(() => loadConfig({ RETENTION_DAYS: '3y' }, '/srv')).toThrow(/RETENTION_DAYS must be a whole number of days/);
});
