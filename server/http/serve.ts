// The listening HTTP server with its timeouts set here, not left to a reverse proxy (issue 15:
// with Node's defaults, 200 uploads trickling a byte at a time were all still open after 58 s, each
// holding a socket and its parser). Headers must arrive within `headersTimeoutMs`, the whole request
// with its body within `requestTimeoutMs`, and an idle keep-alive connection is closed after
// `keepAliveTimeoutMs`. Requests the server cuts off, and malformed ones Node's parser refuses,
// are answered in the API's error shape, so a client sees the same kind of answer as from a route.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import type { ErrorCode } from '../../shared/errors.ts';
import { errorBody } from '../errors.ts';

export interface ServeTimeouts {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

export interface ServeOptions extends ServeTimeouts {
  port: number;
  host: string;
}

// Node checks the two request timeouts on a timer (every 30 s by default), so a slow client could
// keep its socket for up to that long past the limit; check often enough for the limits to mean it.
const checkEvery = (t: ServeTimeouts) => Math.max(50, Math.min(1000, Math.floor(Math.min(t.headersTimeoutMs, t.requestTimeoutMs) / 4)));

/** Binds `app` to a port with the timeouts of `options`. */
export function listen(app: Pick<Hono<any>, 'fetch'>, options: ServeOptions, onListening?: (port: number) => void): ServerType {
  const server = serve(
    {
      fetch: app.fetch,
      port: options.port,
      hostname: options.host,
      serverOptions: { headersTimeout: options.headersTimeoutMs, requestTimeout: options.requestTimeoutMs, connectionsCheckingInterval: checkEvery(options) },
    },
    (info) => onListening?.(info.port),
  ) as Server;
  server.keepAliveTimeout = options.keepAliveTimeoutMs;
  server.on('connection', (socket: Socket) => {
    socket.destroySoon = lingeringClose;
  });
  server.on('clientError', answerClientError);
  // Without a listener Node closes a CONNECT's socket without a word (found by the fuzz bench).
  server.on('connect', (_req, socket: Socket) => answer(socket, 405, 'Method Not Allowed', 'bad_request', 'CONNECT is not supported'));
  return server;
}

// How long a socket closed after its answer keeps reading what the client still sends.
const LINGER_MS = 2000;

/**
 * Node closes a `Connection: close` socket as soon as the answer is written, even while the client
 * is still sending a body the route refused without reading it (an early 413): the unread bytes
 * make the kernel reset the connection, and the client loses the answer it had not read yet (a
 * third of 9 MB requests got no answer in the fuzz bench). Like web servers' "lingering close",
 * this end is closed first and what still arrives is read and dropped until the client closes its
 * end, for at most LINGER_MS; then the socket is destroyed as before.
 */
function lingeringClose(this: Socket): void {
  if (this.destroyed) return;
  const close = () => this.destroy();
  const timer = setTimeout(close, LINGER_MS);
  timer.unref();
  this.once('end', close);
  this.once('close', () => clearTimeout(timer));
  this.end();
  this.resume();
}

function answerFor(err: NodeJS.ErrnoException): [number, string, ErrorCode, string] {
  switch (err.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'Request Timeout', 'request_timeout', 'The request did not arrive in time'];
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'Request Header Fields Too Large', 'bad_request', 'The request headers are too large'];
    default:
      return [400, 'Bad Request', 'bad_request', 'The request is not valid HTTP'];
  }
}

// Sockets already answered by answerClientError: the rest of what their client sends fails to
// parse again, and must be read and dropped, not answered with a reset.
const answered = new WeakSet<Socket>();

/** Node's parser refused a request, or a timeout cut it off: answer in the API's shape and close. */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (answered.has(socket)) return;
  // Mid-answer (or gone) there is nothing to say: the client sees the connection close.
  const answering = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (err.code === 'ECONNRESET' || !socket.writable || answering) {
    socket.destroy();
    return;
  }
  answer(socket, ...answerFor(err));
}

/** Writes an answer in the API's error shape straight to the socket, and closes it (lingering). */
function answer(socket: Socket, status: number, reason: string, code: ErrorCode, message: string): void {
  const body = JSON.stringify(errorBody(code, message));
  answered.add(socket);
  socket.write(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Cache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
  lingeringClose.call(socket);
}
