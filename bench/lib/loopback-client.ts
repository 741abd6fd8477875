// The load generator of the ingest benchmark: a minimal HTTP/1.1 keep-alive client on raw sockets,
// for loopback only. It shares the machine's two cores with the server it measures, so it must cost
// as little as possible: node:http's client spent ~0.12 ms of CPU per request, about a quarter of
// what the server spends, and that time was taken from the server (docs/benchmarks.md, "ingest").
// It writes each request in one piece and reads only the status line, Content-Length or chunked
// framing, and the body — what wrk does, in the benchmark's own process.
import { connect, type Socket } from 'node:net';

export interface HttpResult {
  status: number;
  body: string;
}

export interface PostBody {
  data: Buffer;
  contentType: string;
}

interface Pending {
  resolve: (r: HttpResult) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection: one request at a time, answers parsed as they arrive. */
class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private pending: Pending | null = null;
  readonly socket: Socket;
  closed = false;

  constructor(
    host: string,
    port: number,
    private readonly onIdle: (c: Connection) => void,
    onClosed: (c: Connection) => void,
  ) {
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = (err: Error) => {
      if (!this.closed) {
        this.closed = true;
        onClosed(this);
      }
      this.finish(null, err);
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(new Error('connection closed')));
  }

  send(request: Buffer, timeoutMs: number): Promise<HttpResult> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.socket.destroy(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
      this.pending = { resolve, reject, timer };
      this.socket.write(request);
    });
  }

  private onData(chunk: Buffer) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const headEnd = this.buffer.indexOf(HEAD_END);
    if (headEnd < 0) return;
    const head = this.buffer.subarray(0, headEnd).toString('latin1');
    const status = Number(head.slice(9, 12));
    const start = headEnd + 4;
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (length) {
      const end = start + Number(length[1]);
      if (this.buffer.length < end) return;
      const body = this.buffer.subarray(start, end).toString('utf8');
      this.buffer = this.buffer.subarray(end);
      this.finish({ status, body });
      return;
    }
    if (!/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      this.socket.destroy(new Error(`answer without a length: ${head.slice(0, 200)}`));
      return;
    }
    const parts: Buffer[] = [];
    let at = start;
    for (;;) {
      const lineEnd = this.buffer.indexOf('\r\n', at);
      if (lineEnd < 0) return;
      const size = parseInt(this.buffer.subarray(at, lineEnd).toString('latin1'), 16);
      if (this.buffer.length < lineEnd + 2 + size + 2) return;
      if (size === 0) {
        this.buffer = this.buffer.subarray(lineEnd + 4);
        this.finish({ status, body: Buffer.concat(parts).toString('utf8') });
        return;
      }
      parts.push(this.buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }

  private finish(result: HttpResult | null, err?: Error) {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    clearTimeout(p.timer);
    if (result) {
      p.resolve(result);
      if (!this.closed) this.onIdle(this);
    } else p.reject(err ?? new Error('request failed'));
  }
}

/** A pool of up to `maxSockets` keep-alive connections to a loopback server. */
export function loopbackClient(baseUrl: string, maxSockets: number) {
  const url = new URL(baseUrl);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error(`benchmarks only talk to loopback, not ${url.hostname}`);
  const port = Number(url.port);
  const idle: Connection[] = [];
  const all = new Set<Connection>();
  const waiting: ((c: Connection) => void)[] = [];

  let closing = false;

  const open = () => {
    const c = new Connection(url.hostname, port, release, closed);
    all.add(c);
    return c;
  };
  function release(c: Connection) {
    const next = waiting.shift();
    if (next) next(c);
    else idle.push(c);
  }
  // A dead connection leaves the pool; whoever waits for one gets a new connection instead.
  function closed(c: Connection) {
    all.delete(c);
    const at = idle.indexOf(c);
    if (at >= 0) idle.splice(at, 1);
    const next = closing ? undefined : waiting.shift();
    if (next) next(open());
  }
  const acquire = (): Promise<Connection> => {
    const c = idle.pop();
    if (c) return Promise.resolve(c);
    if (all.size < maxSockets) return Promise.resolve(open());
    return new Promise((resolve) => waiting.push(resolve));
  };

  return {
    async post(path: string, body: PostBody, cookie: string, timeoutMs = 30_000): Promise<HttpResult> {
      const head =
        `POST ${path} HTTP/1.1\r\nHost: ${url.host}\r\nOrigin: ${url.origin}\r\nCookie: ${cookie}\r\n` +
        `Content-Type: ${body.contentType}\r\nContent-Length: ${body.data.length}\r\n\r\n`;
      const connection = await acquire();
      return connection.send(Buffer.concat([Buffer.from(head, 'latin1'), body.data]), timeoutMs);
    },
    close() {
      closing = true;
      for (const c of all) c.socket.destroy();
      all.clear();
      idle.length = 0;
    },
  };
}
