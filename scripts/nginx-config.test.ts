// docs/deploy/nginx.conf is only worth shipping if it works: nginx checks it, then requests go
// through it, over HTTPS with a throwaway certificate, to a real server on a real database.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../server/seed/demo.ts';
import { createTestApp, type TestApp } from '../server/test-support.ts';

const NGINX = '/usr/sbin/nginx';
const CONF = join(import.meta.dirname, '..', 'docs', 'deploy', 'nginx.conf');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(url: string, init: { method?: string; body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Answer> {
  const u = new URL(url);
  const make = u.protocol === 'https:' ? request : httpRequest;
  return new Promise((resolve, reject) => {
    const req = make(
      url,
      // The throwaway certificate is self-signed; what is tested is nginx's configuration.
      { method: init.method ?? 'GET', headers: { Host: 'stillhere.example.gov.cn', ...init.headers }, rejectUnauthorized: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

describe.skipIf(!existsSync(NGINX))('docs/deploy/nginx.conf', () => {
  let dir: string;
  let t: TestApp;
  let server: ServerType;
  let nginx: ChildProcess;
  let https: string;
  let http: string;
  let appUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stillhere-nginx-'));
    t = await createTestApp({ config: { trustProxy: true } });
    const appPort = await freePort();
    server = serve({ fetch: t.app.fetch, port: appPort, hostname: '127.0.0.1' });
    appUrl = `http://127.0.0.1:${appPort}`;
    const [tlsPort, plainPort] = [await freePort(), await freePort()];
    https = `https://127.0.0.1:${tlsPort}`;
    http = `http://127.0.0.1:${plainPort}`;
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=stillhere.example.gov.cn',
      '-keyout', join(dir, 'privkey.pem'), '-out', join(dir, 'fullchain.pem')], { stdio: 'ignore' });
    // The shipped file, with only what differs on a test machine: ports and the certificate's place.
    const site = readFileSync(CONF, 'utf8')
      .replace('127.0.0.1:8787', `127.0.0.1:${appPort}`)
      .replace(/^(\s*)listen 443 ssl/m, `$1listen 127.0.0.1:${tlsPort} ssl`)
      .replace(/^(\s*)listen 80;/m, `$1listen 127.0.0.1:${plainPort};`)
      .replaceAll('/etc/stillhere/tls/', `${dir}/`);
    writeFileSync(join(dir, 'site.conf'), site);
    // nginx's worker processes run as an unprivileged user when the test runs as root: they buffer
    // large bodies to these folders.
    chmodSync(dir, 0o755);
    for (const sub of ['body', 'proxy']) {
      mkdirSync(join(dir, sub));
      chmodSync(join(dir, sub), 0o777);
    }
    writeFileSync(
      join(dir, 'nginx.conf'),
      `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  access_log off;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  include ${dir}/site.conf;\n}\n`,
    );
    execFileSync(NGINX, ['-t', '-q', '-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'pipe' });
    nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if (await send(`${https}/api/health`).then(() => true, () => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 60_000);

  afterAll(async () => {
    nginx?.kill();
    server?.close();
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers the health check over HTTPS and sends plain HTTP there', async () => {
    const health = await send(`${https}/api/health`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ ok: true });
    expect(health.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    const plain = await send(`${http}/api/health`);
    expect(plain.status).toBe(301);
    expect(plain.headers.location).toBe('https://stillhere.example.gov.cn/api/health');
  });

  it('passes the scheme on, so the session cookie is Secure behind it (and only there)', async () => {
    const signIn = (base: string, origin: string) =>
      send(`${base}/api/auth/sign-in/retiree`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: origin },
        body: JSON.stringify({ idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin }),
      });
    const session = (a: Answer) => ([] as string[]).concat(a.headers['set-cookie'] ?? []).find((c) => /^(__Host-)?sh_session=/.test(c));
    const proxied = await signIn(https, 'https://stillhere.example.gov.cn');
    expect(proxied.status, proxied.body).toBe(200);
    expect(session(proxied)).toMatch(/;\s*Secure/i);
    // The same server asked directly over plain HTTP: no Secure, so it was nginx's X-Forwarded-Proto.
    const direct = await signIn(appUrl, 'http://stillhere.example.gov.cn');
    expect(direct.status, direct.body).toBe(200);
    expect(session(direct)).toBeDefined();
    expect(session(direct)).not.toMatch(/;\s*Secure/i);
  });

  it('stops a body no route accepts before the app, but lets the office upload its photos', async () => {
    const tooBig = await send(`${https}/api/sync/push`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: Buffer.alloc(2 * 1024 * 1024, 0x20) });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatch(/nginx/);
    // 5 MB to the office's upload reaches the app (which asks who is sending it: 401, not nginx's 413).
    const upload = await send(`${https}/api/office/setup/photos`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream', Origin: 'https://stillhere.example.gov.cn' }, body: Buffer.alloc(5 * 1024 * 1024) });
    expect(upload.status).not.toBe(413);
    expect(upload.body).not.toMatch(/nginx/);
  });
});

if (!existsSync(NGINX)) it.skip(`nginx config (skipped: ${NGINX} is not installed; apt-get install -y nginx)`, () => undefined);
