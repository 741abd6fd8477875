// One hashing thread (hash-threads.ts): scrypt, synchronously, one request at a time, at a lower
// priority than the server's main and ingest threads (decision 051). Plain JavaScript: a worker
// does not inherit the TypeScript loader, and this needs nothing but node:crypto.
import { scryptSync } from 'node:crypto';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';

// On Linux, setpriority for "0" lowers only the calling thread (as for the face threads, decision
// 050). Elsewhere it may fail: then this thread runs at normal priority.
try {
  if (process.platform === 'linux') setPriority(0, 10);
} catch {
  // not allowed here: no harm
}

const port = parentPort;
if (!port) throw new Error('hash-thread.mjs runs as a worker thread');

port.on('message', ({ id, secret, salt, keyLength, options }) => {
  try {
    const key = scryptSync(secret, Buffer.from(salt), keyLength, options);
    port.postMessage({ id, key });
  } catch (err) {
    port.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
