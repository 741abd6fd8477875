/**
 * Wraps a read so that concurrent callers share it without ever getting a stale answer: every
 * caller receives the result of a read that STARTED after it asked. Callers arriving while a read
 * runs all wait for the next one, which starts when the running one ends. A burst of a hundred
 * requests thus costs two reads instead of a hundred, and none of them can miss a change committed
 * before it arrived.
 */
export function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  let next: Promise<T> | null = null;

  const start = (): Promise<T> => {
    const p = read();
    running = p;
    const done = () => {
      if (running === p) running = null;
    };
    p.then(done, done);
    return p;
  };

  return () => {
    if (!running) return start();
    next ??= running.then(
      () => undefined,
      () => undefined,
    ).then(() => {
      next = null;
      return start();
    });
    return next;
  };
}
