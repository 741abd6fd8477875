// One request on its own loopback connection, written byte for byte as given (so it can be
// malformed in ways no HTTP client library would send), and the answer read until the server closes.
import { connect } from 'node:net';

export interface RawAnswer {
  /** 0 when the connection closed (or timed out) before a status line arrived. */
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** Why there is no answer, when there is none. */
  failure?: string;
}

export function rawRequest(port: number, request: Buffer, timeoutMs = 20_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let failure: string | undefined;
    const timer = setTimeout(() => {
      failure = `no complete answer in ${timeoutMs} ms`;
      socket.destroy();
    }, timeoutMs);
    socket.on('data', (d: Buffer) => chunks.push(d));
    // The server may answer before it has read everything (an early 413) and close: what it sent
    // still counts, and a client stops sending once the answer is there, as curl and browsers do.
    socket.on('error', (err) => (failure ??= err.message));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parse(Buffer.concat(chunks), chunks.length ? undefined : failure));
    });
    void (async () => {
      for (let at = 0; at < request.length && !chunks.length && !socket.destroyed; at += 65_536) {
        if (!socket.write(request.subarray(at, at + 65_536))) await new Promise((r) => socket.once('drain', r).once('close', r));
      }
    })();
  });
}

function parse(data: Buffer, failure: string | undefined): RawAnswer {
  const headEnd = data.indexOf('\r\n\r\n');
  const m = headEnd >= 0 ? /^HTTP\/1\.[01] (\d{3})/.exec(data.subarray(0, headEnd).toString('latin1')) : null;
  if (!m) return { status: 0, headers: {}, body: Buffer.alloc(0), failure: failure ?? (data.length ? 'not an HTTP answer' : 'closed without an answer') };
  const headers: Record<string, string> = {};
  for (const line of data.subarray(0, headEnd).toString('latin1').split('\r\n').slice(1)) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  let body = data.subarray(headEnd + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  else if (headers['content-length'] !== undefined) body = body.subarray(0, Number(headers['content-length']));
  return { status: Number(m[1]), headers, body };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
