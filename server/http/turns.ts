// Request work that is heavy on the CPU takes turns with the rest of the event loop.
//
// Under load many requests arrive in one poll of the event loop, and Node runs each one's
// synchronous work back to back inside that poll: 30 pushes × 0.5 ms is 15 ms in which the reply
// of a running SQLite statement cannot be handled. The group commit makes four such trips per
// transaction while holding the write lock, so its wall time grew with the burst in front of each
// trip. Requests that wait their turn here run one per loop iteration instead, and the driver's
// replies, which arrive in the poll phase, are handled between them (docs/benchmarks.md, "ingest").
const waiting: (() => void)[] = [];
let scheduled = false;

function runOne(): void {
  waiting.shift()?.();
  if (waiting.length) setImmediate(runOne);
  else scheduled = false;
}

/** Resolves on a later turn of the event loop, after every request that asked before it. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (!scheduled) {
      scheduled = true;
      setImmediate(runOne);
    }
  });
}
