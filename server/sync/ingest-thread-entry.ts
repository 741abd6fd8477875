// The ingest thread: its own connection to the database file, and nothing else on its event loop,
// so the four driver round trips of a group transaction (BEGIN, read, insert, COMMIT) are answered
// at once instead of waiting behind the HTTP work of the main thread (decision 047).
import { parentPort, workerData } from 'node:worker_threads';
import { openDb, type OpenOptions } from '../db/sqlite.ts';
import { applyGroup } from './ingest.ts';
import type { ThreadReply, ThreadRequest } from './ingest-thread.ts';

const port = parentPort!;
const { path, options } = workerData as { path: string; options: OpenOptions };
const db = await openDb(path, options);

port.on('message', async (msg: ThreadRequest) => {
  if (msg.kind === 'close') {
    await db.close();
    port.close();
    return;
  }
  let reply: ThreadReply;
  try {
    reply = { id: msg.id, results: await db.transaction(() => applyGroup(db, msg.subs)) };
  } catch (err) {
    const e = err as Error & { code?: unknown };
    reply = { id: msg.id, error: { message: e.message, name: e.name, code: typeof e.code === 'string' ? e.code : undefined } };
  }
  port.postMessage(reply);
});
