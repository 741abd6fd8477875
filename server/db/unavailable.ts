// Whether an error means the database cannot be reached right now (its server stopped, restarting,
// failed over, or a standby that does not take writes yet) rather than that the request is wrong.
// Such a request is answered 503 with Retry-After (server/errors.ts): the phone keeps its outbox and
// tries again, and a load balancer's health check takes the instance out (docs/deploy.md).
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOENT', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** PostgreSQL SQLSTATEs: connection exceptions (class 08), shutdown / starting up, a read-only standby, no free connection. */
const SQLSTATES = /^(08...|57P0[123]|25006|53300)$/;

export function databaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK.has(code) || SQLSTATES.test(code))) return true;
  // node-postgres says these in words, without a code.
  return /^Connection terminated|^Client has encountered a connection error|timeout exceeded when trying to connect/.test(err.message);
}
