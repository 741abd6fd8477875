// The pull thread: a read-only connection to the database file and nothing else on its event loop,
// so a pull's reads follow each other without waiting behind the main thread's HTTP work (decision 053).
import { parentPort, workerData } from 'node:worker_threads';
import { openDb } from '../db/sqlite.ts';
import { answerPull } from './pull.ts';
import type { PullThreadReply, PullThreadRequest } from './pull-thread.ts';

const port = parentPort!;
const { path } = workerData as { path: string };
// Four connections: a pull's reads run one after another, four pulls' side by side, so a worker's
// roster of thousands does not hold every retiree's pull behind it. Each connection runs one
// statement at a time (fresh snapshots); four in flight is what libuv's pool can run at once.
// Two gave pull p50 100–209 ms in the load benchmark, four 28–58 ms, pushes unchanged.
const db = await openDb(path, { readOnly: true, readers: 4 });

port.on('message', async (msg: PullThreadRequest) => {
  if (msg.kind === 'close') {
    await db.close();
    port.close();
    return;
  }
  let reply: PullThreadReply;
  try {
    const answer = await answerPull(db, msg.job);
    reply = { id: msg.id, body: answer && JSON.stringify(answer) };
  } catch (err) {
    const e = err as Error;
    reply = { id: msg.id, error: { message: e.message, name: e.name } };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true } satisfies PullThreadReply);
