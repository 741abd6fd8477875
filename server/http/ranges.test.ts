import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { conditionalGet } from './conditional.ts';
import { staticRanges } from './ranges.ts';

const dir = mkdtempSync(join(tmpdir(), 'stillhere-ranges-'));
const original = randomBytes(300_000);
const file = join(dir, 'model.task');
writeFileSync(file, original);
const mtime = new Date('2026-01-02T03:04:05Z');
utimesSync(file, mtime, mtime);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const app = new Hono();
app.use('*', conditionalGet());
app.use('*', staticRanges(dir));
app.use('*', serveStatic({ root: dir, precompressed: true }));
app.get('*', (c) => c.html('<p>app shell</p>'));

const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

describe('static files for resumable downloads', () => {
  it('sends a strong ETag and Accept-Ranges with the whole file', async () => {
    const res = await app.request('/model.task');
    expect(res.status).toBe(200);
    expect(res.headers.get('ETag')).toMatch(/^"[0-9a-z]+-[0-9a-z]+"$/);
    expect(res.headers.get('Accept-Ranges')).toBe('bytes');
    expect((await bytes(res)).equals(original)).toBe(true);
  });

  it('answers a range with the same ETag, and the pieces put together are the file', async () => {
    const etag = (await app.request('/model.task', { method: 'HEAD' })).headers.get('ETag');
    const first = await app.request('/model.task', { headers: { Range: 'bytes=0-99999' } });
    const rest = await app.request('/model.task', { headers: { Range: 'bytes=100000-', 'If-Range': etag! } });
    expect(first.status).toBe(206);
    expect(rest.status).toBe(206);
    expect(rest.headers.get('Content-Range')).toBe('bytes 100000-299999/300000');
    expect(first.headers.get('ETag')).toBe(etag);
    expect(rest.headers.get('ETag')).toBe(etag);
    expect(Buffer.concat([await bytes(first), await bytes(rest)]).equals(original)).toBe(true);
  });

  it('sends the whole current file when If-Range names an older version', async () => {
    const res = await app.request('/model.task', { headers: { Range: 'bytes=100000-', 'If-Range': '"old-version"' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Range')).toBeNull();
    expect(res.headers.get('Content-Length')).toBe('300000');
    expect((await bytes(res)).equals(original)).toBe(true);
    const byDate = await app.request('/model.task', { headers: { Range: 'bytes=5-', 'If-Range': new Date(mtime.getTime() - 60_000).toUTCString() } });
    expect(byDate.status).toBe(200);
    const sameDate = await app.request('/model.task', { headers: { Range: 'bytes=5-', 'If-Range': mtime.toUTCString() } });
    expect(sameDate.status).toBe(206);
  });

  it('answers 416 for a range past the end', async () => {
    const res = await app.request('/model.task', { headers: { Range: 'bytes=300000-' } });
    expect(res.status).toBe(416);
    expect(res.headers.get('Content-Range')).toBe('bytes */300000');
  });

  it('answers If-None-Match with 304 when the ETag matches, and the file when not', async () => {
    const etag = (await app.request('/model.task', { method: 'HEAD' })).headers.get('ETag')!;
    const same = await app.request('/model.task', { headers: { 'If-None-Match': `"x", ${etag}` } });
    expect(same.status).toBe(304);
    expect(await same.text()).toBe('');
    const other = await app.request('/model.task', { headers: { 'If-None-Match': '"x"', 'If-Modified-Since': mtime.toUTCString() } });
    expect(other.status).toBe(200);
  });

  it('changes the ETag when the file changes', async () => {
    const before = (await app.request('/model.task', { method: 'HEAD' })).headers.get('ETag');
    const changed = join(dir, 'other.task');
    writeFileSync(changed, original);
    utimesSync(changed, new Date(mtime.getTime() + 5000), new Date(mtime.getTime() + 5000));
    const after = (await app.request('/other.task', { method: 'HEAD' })).headers.get('ETag');
    expect(after).not.toBe(before);
  });

  it('leaves the app shell fallback alone', async () => {
    const res = await app.request('/some/route');
    expect(res.status).toBe(200);
    expect(res.headers.get('ETag')).toBeNull();
  });
});
