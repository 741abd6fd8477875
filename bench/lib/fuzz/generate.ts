// Malformed requests, drawn from a seeded generator so a run can be repeated exactly (--seed): the
// same routes, methods, paths, headers and bodies in the same order. Each request starts from what
// the route expects (a body template, real ids) and breaks one or more things: the method, a path
// parameter, the query, the cookie, the origin, the content type, the JSON, the multipart framing,
// sizes, types and encodings.
import { syntheticJpeg, syntheticResult } from '../../../shared/sync-fixtures.ts';
import type { ApiRoute } from './routes.ts';

export const ROLES = ['retiree', 'family', 'worker', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Ids and codes that exist in the fuzzed database, so some requests reach past the 404s. */
export interface Known {
  retireeIds: number[];
  regionCodes: string[];
  attemptIds: string[];
  reviewIds: number[];
  referenceIds: number[];
  idNumber: string;
}

export type CookieChoice = { kind: 'none' } | { kind: 'role'; role: Role; form: 'plain' | 'host' | 'twice' | 'wrong-secret' | 'truncated' } | { kind: 'raw'; value: string };

export interface FuzzCase {
  n: number;
  /** "METHOD /api/path/:param" of the route it was drawn from (or "unknown path"). */
  route: string;
  method: string;
  /** Path and query exactly as on the request line. */
  target: string;
  cookie: CookieChoice;
  headers: [string, string][];
  body: Buffer | null;
  chunked: boolean;
  /** What was broken, for the report. */
  label: string[];
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const chance = (rng: Rng, p: number) => rng() < p;

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];
const ODD_METHODS = ['PROPFIND', 'FOO', 'get', 'POST ', 'CONNECT'];

function weirdSegment(rng: Rng): string {
  return pick(rng, ['0', '-1', '1.5', '1e3', '0x10', '99999999999999999999', 'abc', '%00', '%ff', '%E4%BD%A0', '..%2f..%2fetc', '%2e%2e', ' ', '%20', "1'--", '1;DROP TABLE users', 'x'.repeat(3000), '测试', 'null', 'undefined', '[]', '{}', '%']);
}

function paramValue(rng: Rng, name: string, known: Known): string {
  if (chance(rng, 0.35)) return weirdSegment(rng);
  switch (name) {
    case 'code':
      return pick(rng, known.regionCodes);
    case 'year':
      return pick(rng, ['2026', '2027', '1900', '3000']);
    case 'idx':
      return pick(rng, ['0', '1', '2', '3']);
    default:
      return String(pick(rng, [...known.retireeIds, ...known.reviewIds, ...known.referenceIds, 1, 2, 3]));
  }
}

function weirdQuery(rng: Rng, known: Known): string {
  const pairs: string[] = [];
  for (let i = 0, n = 1 + Math.floor(rng() * 4); i < n; i++) {
    const key = pick(rng, ['status', 'kind', 'limit', 'offset', 'before', 'after', 'q', 'filter', 'retireeId', 'reason', 'takenOn', 'x', '', '%ZZ', 'limit[]', '__proto__']);
    const value = pick(rng, ['', '-1', '0', '1e9', '99999999999999999999', 'abc', '%ZZ', '%00', 'all', 'pending', '2026-02-30', String(pick(rng, known.retireeIds)), 'x'.repeat(5000), '测试', '%E4%BD', '1,2,3', 'true']);
    pairs.push(chance(rng, 0.1) ? key : `${key}=${value}`);
  }
  return `?${pairs.join('&')}`;
}

/** A body the route would accept, before it is broken. */
function template(route: ApiRoute, known: Known, rng: Rng): unknown {
  const p = route.path;
  if (p.endsWith('/sign-in/retiree')) return { idNumber: known.idNumber, pin: '000000', deviceId: 'fuzz-device-0001' };
  if (p.endsWith('/sign-in')) return { username: 'worker.demo', password: 'not-the-password', deviceId: 'fuzz-device-0001' };
  if (p.endsWith('/activate')) return { idNumber: known.idNumber, code: '12345678', pin: '864213', deviceId: 'fuzz-device-0001' };
  if (p.endsWith('/me/pin')) return { currentPin: '000000', newPin: '864213' };
  if (p.includes('/periods/')) return { selfStart: '2027-03-01', selfEnd: '2027-06-30', onsiteStart: '2027-06-01', onsiteEnd: '2027-06-30', deadline: '2027-06-30', suspensionDate: '2027-07-01' };
  if (p.endsWith('/sync/push')) return { items: [pushItem(known, rng)] };
  if (p.endsWith('/sync/pull')) return { cursor: null, wantChallenges: 3, attempts: known.attemptIds.slice(0, 2) };
  if (p.endsWith('/sync/challenges')) return { count: 3 };
  if (p.endsWith('/decision')) return chance(rng, 0.5) ? { decision: 'approve' } : { decision: 'reject', reason: 'fuzz' };
  if (p.endsWith('/erase-biometrics') || route.method === 'DELETE') return { reason: 'fuzz' };
  if (p.endsWith('/consents')) return { id: fakeUuid7(rng), retireeId: pick(rng, known.retireeIds), choice: 'face', noticeVersion: 2, decidedAt: 1_796_000_000_000 };
  return {};
}

/** A UUIDv7 from the generator (the phone's ids are v7; uuidv7() would read the clock). */
function fakeUuid7(rng: Rng): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rng() * 16).toString(16)).join('');
  return `${(0x01a2_0000_0000 + Math.floor(rng() * 0xffff_ffff)).toString(16).padStart(12, '0').replace(/^(.{8})/, '$1-')}-7${hex(3)}-${pick(rng, ['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
}

function pushItem(known: Known, rng: Rng): Record<string, unknown> {
  const seed = Math.floor(rng() * 0xffff_ffff);
  return {
    id: fakeUuid7(rng),
    seq: 1 + Math.floor(rng() * 5),
    retireeId: pick(rng, known.retireeIds),
    method: pick(rng, ['self', 'family', 'worker']),
    challengeToken: null,
    deviceTime: 1_796_000_000_000,
    result: syntheticResult({ seed }, pick(rng, ['passed', 'failed'])),
    blobs: [],
  };
}

// Values that have broken servers: wrong types, extremes, encodings, shapes.
function evilValue(rng: Rng): unknown {
  return pick(rng, [
    null, true, false, 0, -1, 1.5, -0, 2 ** 53 + 1, 1e308, -1e308, '', ' ', '0', 'null', 'x'.repeat(70_000), '\u0000', '\ud800', '\u202e', '测试'.repeat(500),
    [], [null], {}, JSON.parse('{"__proto__": {"admin": true}}'), { constructor: { prototype: {} } }, Array.from({ length: 5000 }, (_, i) => i), nested(rng, 60), '<script>alert(1)</script>', "' OR 1=1 --",
  ]);
}

function nested(rng: Rng, depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = chance(rng, 0.5) ? [v] : { a: v };
  return v;
}

/** Breaks one part of a JSON value: a field's value or type, a missing or extra key, an item. */
function mutate(value: unknown, rng: Rng, depth = 0): unknown {
  if (Array.isArray(value)) {
    if (!value.length || chance(rng, 0.3)) return pick(rng, [[], [...value, evilValue(rng)], Array.from({ length: 60 }, () => value[0] ?? 1), evilValue(rng)]);
    const i = Math.floor(rng() * value.length);
    return value.map((v, j) => (j === i ? mutate(v, rng, depth + 1) : v));
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    const roll = rng();
    if (!entries.length || roll < 0.15) return { ...value, [pick(rng, ['extra', 'isAdmin', 'role', '__proto__', 'x'.repeat(200), ''])]: evilValue(rng) };
    const [key, v] = pick(rng, entries);
    if (roll < 0.3) {
      const copy: Record<string, unknown> = { ...value };
      delete copy[key];
      return copy;
    }
    return { ...value, [key]: depth < 4 && v && typeof v === 'object' && chance(rng, 0.6) ? mutate(v, rng, depth + 1) : evilValue(rng) };
  }
  return evilValue(rng);
}

/** JSON text that JSON.stringify would never produce. */
function badJsonText(rng: Rng, valid: string): Buffer {
  const cut = valid.slice(0, Math.floor(rng() * valid.length));
  return pick(rng, [
    Buffer.from(cut),
    Buffer.from(`${valid},`),
    Buffer.from(valid.replace(/"/g, "'")),
    Buffer.from(`\ufeff${valid}`),
    Buffer.from(`${valid}${valid}`),
    Buffer.from(valid.replace(/:(\d+)/, ':1e999')),
    Buffer.from(valid.replace(/^\{/, '{"a":1,"a":2,')),
    Buffer.from('['.repeat(100_000)),
    Buffer.from('{"a":'.repeat(20_000)),
    Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0xc3, 0x28, 0x7d]),
    Buffer.from('\u0000'.repeat(100)),
    Buffer.from('undefined'),
    Buffer.from('NaN'),
  ]);
}

function multipart(rng: Rng, batch: string, label: string[]): { body: Buffer; type: string } {
  const boundary = `----fuzz${Math.floor(rng() * 1e9)}`;
  const part = (name: string, content: Buffer | string, file = false, type = 'image/jpeg') =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file ? `; filename="${name}"\r\nContent-Type: ${type}` : ''}\r\n\r\n`),
      Buffer.isBuffer(content) ? content : Buffer.from(content),
      Buffer.from('\r\n'),
    ]);
  const end = Buffer.from(`--${boundary}--\r\n`);
  const frame = Buffer.from(syntheticJpeg(240, 320, 6_000, Math.floor(rng() * 1000)));
  const variant = pick(rng, ['ok', 'no-batch', 'batch-file', 'bad-batch', 'truncated', 'no-end', 'wrong-boundary', 'many-parts', 'huge-part', 'odd-names', 'no-boundary', 'empty']);
  label.push(`multipart ${variant}`);
  let type = `multipart/form-data; boundary=${boundary}`;
  let body: Buffer;
  switch (variant) {
    case 'no-batch':
      body = Buffer.concat([part('p0', frame, true), end]);
      break;
    case 'batch-file':
      body = Buffer.concat([part('batch', batch, true, 'application/json'), end]);
      break;
    case 'bad-batch':
      body = Buffer.concat([part('batch', batch.slice(0, batch.length / 2)), part('p0', frame, true), end]);
      break;
    case 'truncated':
      body = Buffer.concat([part('batch', batch), part('p0', frame, true)]).subarray(0, Math.floor(batch.length * 0.8));
      break;
    case 'no-end':
      body = Buffer.concat([part('batch', batch), part('p0', frame, true)]);
      break;
    case 'wrong-boundary':
      body = Buffer.concat([part('batch', batch), end]);
      type = 'multipart/form-data; boundary=something-else';
      break;
    case 'many-parts':
      body = Buffer.concat([part('batch', batch), ...Array.from({ length: 300 }, (_, i) => part(`p${i}`, 'x', true)), end]);
      break;
    case 'huge-part':
      body = Buffer.concat([part('batch', batch), part('p0', Buffer.alloc(200_000, 1), true), end]);
      break;
    case 'odd-names':
      body = Buffer.concat([part('batch', batch), part('"; filename="../../etc/passwd', frame, true), part('\u0000', frame, true), part('__proto__', frame, true), end]);
      break;
    case 'no-boundary':
      body = Buffer.concat([part('batch', batch), end]);
      type = 'multipart/form-data';
      break;
    case 'empty':
      body = Buffer.alloc(0);
      break;
    default:
      body = Buffer.concat([part('batch', batch), part('p0', frame, true), part('p1', frame, true), end]);
  }
  return { body, type };
}

function cookieChoice(rng: Rng, label: string[]): CookieChoice {
  const r = rng();
  if (r < 0.15) return { kind: 'none' };
  if (r < 0.75) {
    const role = pick(rng, ROLES);
    const form = chance(rng, 0.8) ? 'plain' : pick(rng, ['host', 'twice', 'wrong-secret', 'truncated'] as const);
    if (form !== 'plain') label.push(`cookie ${form}`);
    return { kind: 'role', role, form };
  }
  const value = pick(rng, ['sh_session=', 'sh_session=abc', 'sh_session=abc.def', 'sh_session=' + 'a'.repeat(6000), 'sh_session', '=;=;', 'sh_session=%ZZ', 'sh_session="quoted"', 'sh_session=\u00e9', '__Host-sh_session=abc.def', Array.from({ length: 200 }, (_, i) => `c${i}=1`).join('; ')]);
  label.push('bad cookie');
  return { kind: 'raw', value };
}

function originHeaders(rng: Rng, label: string[]): [string, string][] {
  const r = rng();
  if (r < 0.75) return [['Origin', 'SAME']];
  const choice = pick(rng, [[], [['Origin', 'https://evil.example']], [['Origin', 'null']], [['Origin', 'http://']], [['Sec-Fetch-Site', 'cross-site']], [['Referer', 'https://evil.example/x']], [['Origin', 'SAME'], ['Origin', 'https://evil.example']]] as [string, string][][]);
  label.push(`origin ${choice.map((h) => h.join(': ')).join(', ') || 'missing'}`);
  return choice;
}

/** The n-th case: everything drawn from `rng`, nothing from the clock or the server. */
export function generateCase(rng: Rng, routes: readonly ApiRoute[], known: Known, n: number): FuzzCase {
  const label: string[] = [];
  const unknownPath = chance(rng, 0.05);
  const route = unknownPath ? { method: 'GET', path: pick(rng, ['/api/nope', '/api/sync/push/extra', '/api//me', '/API/me', '/api/me/', '/api/%2e%2e/health', '/api/sync', '/api/', '/api']) } : pick(rng, routes);
  if (unknownPath) label.push('unknown path');

  let method = route.method;
  if (chance(rng, 0.15)) {
    method = chance(rng, 0.85) ? pick(rng, METHODS.filter((m) => m !== route.method)) : pick(rng, ODD_METHODS);
    label.push(`method ${method}`);
  }
  let path = route.path.replace(/:(\w+)/g, (_, name: string) => {
    const value = paramValue(rng, name, known);
    if (!/^\d+$/.test(value) || value.length > 15) label.push(`param ${name}`);
    return value;
  });
  if (chance(rng, 0.3)) {
    path += weirdQuery(rng, known);
    label.push('query');
  }

  const headers: [string, string][] = [...originHeaders(rng, label)];
  const cookie = cookieChoice(rng, label);
  let body: Buffer | null = null;
  const valid = JSON.stringify(template(route, known, rng));
  const roll = rng();
  let type: string | null = 'application/json';
  if (roll < 0.1) {
    type = null;
    label.push('no body');
  } else if (roll < 0.45) {
    body = Buffer.from(JSON.stringify(mutate(JSON.parse(valid), rng)));
    label.push('mutated JSON');
  } else if (roll < 0.55) {
    body = Buffer.from(JSON.stringify(evilValue(rng)));
    label.push('other JSON value');
  } else if (roll < 0.65) {
    body = badJsonText(rng, valid);
    label.push('bad JSON');
  } else if (roll < 0.7) {
    body = Buffer.from(JSON.stringify({ ...(JSON.parse(valid) as object), pad: 'x'.repeat(pick(rng, [79_000, 79_000, 1_100_000, 9_000_000])) }));
    label.push(`large body ${body.length}`);
  } else if (roll < 0.78) {
    body = Buffer.from(valid);
    type = pick(rng, ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'application/jsonx', '', 'image/jpeg', 'multipart/mixed']);
    label.push(`content-type "${type}"`);
  } else if (roll < 0.92) {
    const m = multipart(rng, chance(rng, 0.5) ? valid : JSON.stringify(mutate(JSON.parse(valid), rng)), label);
    body = m.body;
    type = m.type;
  } else if (roll < 0.97) {
    body = Buffer.from(Array.from({ length: 1 + Math.floor(rng() * 50_000) }, () => Math.floor(rng() * 256)));
    type = pick(rng, ['image/jpeg', 'image/png', 'application/octet-stream', 'application/json']);
    label.push(`random bytes as ${type}`);
  } else {
    body = Buffer.from(valid);
    label.push('valid template');
  }
  if (type !== null) headers.push(['Content-Type', type]);
  const chunked = body !== null && chance(rng, 0.05);
  if (chunked) label.push('chunked');
  if (chance(rng, 0.03)) {
    headers.push(pick(rng, [['Content-Length', '5'], ['Transfer-Encoding', 'gzip'], ['X-Bad\u0001Header', 'x'], ['Host', ''], ['X-Long', 'y'.repeat(20_000)], ['Content-Type', 'application/json\r\nX-Injected: 1']] as [string, string][]));
    label.push('bad header');
  }
  return { n, route: unknownPath ? 'unknown path' : `${route.method} ${route.path}`, method, target: path, cookie, headers, body, chunked, label };
}

/** The case as bytes on the wire, with the sessions' current tokens and the server's origin. */
export function render(c: FuzzCase, tokens: Record<Role, string>, origin: string): Buffer {
  const host = new URL(origin).host;
  const lines = [`${c.method} ${c.target} HTTP/1.1`, `Host: ${host}`, 'Connection: close'];
  for (const [k, v] of c.headers) lines.push(`${k}: ${v === 'SAME' ? origin : v}`);
  if (c.cookie.kind === 'raw') lines.push(`Cookie: ${c.cookie.value}`);
  if (c.cookie.kind === 'role') {
    const token = tokens[c.cookie.role];
    const value = {
      plain: `sh_session=${token}`,
      host: `__Host-sh_session=${token}`,
      twice: `sh_session=${token}; sh_session=garbage.garbage`,
      'wrong-secret': `sh_session=${token.split('.')[0]}.${'a'.repeat(39)}`,
      truncated: `sh_session=${token.slice(0, -3)}`,
    }[c.cookie.form];
    lines.push(`Cookie: ${value}`);
  }
  if (c.body === null) return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  if (c.chunked) {
    lines.push('Transfer-Encoding: chunked');
    const chunks: Buffer[] = [];
    for (let at = 0; at < c.body.length; at += 4096) {
      const part = c.body.subarray(at, at + 4096);
      chunks.push(Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n'));
    }
    return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), ...chunks, Buffer.from('0\r\n\r\n')]);
  }
  if (!c.headers.some(([k]) => k.toLowerCase() === 'content-length')) lines.push(`Content-Length: ${c.body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), c.body]);
}
