// Evidence kept in the database (key frames, the read-digits recording, visit and reference photos)
// answered to the office's browser. An <audio> element asks for `Range: bytes=0-` and, answered
// without ranges, can neither seek nor (for a WebM clip without a duration in its header, as
// MediaRecorder writes them) find its length without reading the whole clip: each such answer says
// `Accept-Ranges: bytes` and serves one range when asked. The bytes are already in memory, so a range
// is a slice, never a second read.
import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';
import { errorBody } from '../errors.ts';

/** The single range `header` asks for within `size` bytes; null for none (or several: the whole is answered); 'unsatisfiable' past the end. */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    // A suffix: the last n bytes.
    const n = Number(m[2]);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return null;
  return { start, end };
}

/** A private blob (never cached), whole or the one range asked for. */
export function privateBytes(c: Context<AppEnv>, data: Uint8Array, type: string): Response {
  const headers: Record<string, string> = { 'Content-Type': type, 'Cache-Control': 'private, no-store', 'Accept-Ranges': 'bytes' };
  // If-Range needs a validator these answers do not give: whoever sends one gets the whole.
  const range = c.req.header('If-Range') === undefined ? byteRange(c.req.header('Range'), data.byteLength) : null;
  if (range === 'unsatisfiable') {
    return c.json(errorBody('bad_request', `Range not satisfiable: the blob has ${data.byteLength} bytes`), 416, { 'Content-Range': `bytes */${data.byteLength}`, 'Cache-Control': 'private, no-store' });
  }
  if (!range) return c.body(new Uint8Array(data), 200, headers);
  const part = new Uint8Array(data.subarray(range.start, range.end + 1));
  return c.body(part, 206, { ...headers, 'Content-Range': `bytes ${range.start}-${range.end}/${data.byteLength}` });
}
