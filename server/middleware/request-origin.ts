import type { Context } from 'hono';

/** The origin the client used, honouring X-Forwarded-* only behind a trusted proxy. */
export function requestOrigin(c: Context, trustProxy: boolean): string {
  const url = new URL(c.req.url);
  if (!trustProxy) return url.origin;
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() || url.protocol.replace(':', '');
  const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim() || url.host;
  return `${proto}://${host}`;
}

export function isHttps(c: Context, trustProxy: boolean): boolean {
  return requestOrigin(c, trustProxy).startsWith('https:');
}

/** The client's address: the socket peer, or the last hop a trusted proxy appended. */
export function clientIp(c: Context, trustProxy: boolean, socketIp: string | undefined): string {
  if (trustProxy) {
    const hops = c.req.header('x-forwarded-for')?.split(',').map((s) => s.trim()).filter(Boolean);
    if (hops?.length) return hops[hops.length - 1]!;
  }
  return socketIp ?? 'unknown';
}
