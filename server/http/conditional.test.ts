import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { conditionalGet } from './conditional.ts';

const dir = mkdtempSync(join(tmpdir(), 'stillhere-cond-'));
writeFileSync(join(dir, 'model.task'), Buffer.alloc(100_000, 7));
const mtime = new Date('2026-01-02T03:04:05Z');
utimesSync(join(dir, 'model.task'), mtime, mtime);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const app = new Hono();
app.use('*', conditionalGet());
app.use('*', async (c, next) => {
  await next();
  if (c.res.ok) c.header('Cache-Control', 'no-cache');
});
app.use('*', serveStatic({ root: dir }));

describe('conditional GET for static files', () => {
  it('sends the file with Last-Modified the first time', async () => {
    const res = await app.request('/model.task');
    expect(res.status).toBe(200);
    expect(res.headers.get('Last-Modified')).toBe(mtime.toUTCString());
    expect((await res.arrayBuffer()).byteLength).toBe(100_000);
  });

  it('answers 304 without a body when the browser copy is current', async () => {
    const res = await app.request('/model.task', { headers: { 'If-Modified-Since': mtime.toUTCString() } });
    expect(res.status).toBe(304);
    expect(res.headers.get('Content-Length')).toBeNull();
    expect(res.headers.get('Cache-Control')).toBe('no-cache');
    expect(await res.text()).toBe('');
  });

  it('sends the new file when it changed after the browser copy', async () => {
    const res = await app.request('/model.task', { headers: { 'If-Modified-Since': new Date(mtime.getTime() - 60_000).toUTCString() } });
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(100_000);
  });

  it('ignores a malformed date and missing files', async () => {
    expect((await app.request('/model.task', { headers: { 'If-Modified-Since': 'yesterday' } })).status).toBe(200);
    expect((await app.request('/nope.task', { headers: { 'If-Modified-Since': mtime.toUTCString() } })).status).toBe(404);
  });
});
