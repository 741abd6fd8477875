// The one way the web app talks to the server: JSON in, JSON out, errors as ApiError with the
// server's stable code ('network' when the request never got an answer). Every endpoint is asked
// through its shared contract (shared/contract.ts, decision 086): `call(AUTH.me)`,
// `call(STATUS.ofRetiree, { params: { id } })`, `call(FAMILY.request, { json })`; the parameters
// and body it takes and the answer it gives are the contract's, so no caller casts.
import { pathOf, type AnswerOf, type BodyOf, type Endpoint, type ParamsOf } from '../../shared/contract.ts';
import { apiErrorOf, type ErrorCode } from '../../shared/errors.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** What a call of this contract takes: its path's parameters, its JSON body, a query, a signal. */
export type CallArgs<E extends Endpoint> = ([ParamsOf<E['path']>] extends [never] ? { params?: undefined } : { params: Record<ParamsOf<E['path']>, string | number> }) &
  (E['body'] extends null ? { json?: undefined } : { json: BodyOf<E> }) & {
    query?: string | URLSearchParams;
    signal?: AbortSignal;
  };

/** Optional when the contract needs neither parameters nor a body. */
type Rest<E extends Endpoint> = [ParamsOf<E['path']>] extends [never] ? (E['body'] extends null ? [args?: CallArgs<E>] : [args: CallArgs<E>]) : [args: CallArgs<E>];

/** The arguments as the implementation reads them, whatever the contract. */
interface AnyArgs {
  params?: Record<string, string | number>;
  json?: unknown;
  query?: string | URLSearchParams;
  signal?: AbortSignal;
}

/** Asks the server through a contract; resolves with the contract's answer, or throws ApiError. */
export function call<E extends Endpoint>(contract: E, ...args: Rest<E>): Promise<AnswerOf<E>>;
export function call(contract: Endpoint, a: AnyArgs = {}): Promise<unknown> {
  return send(contract.method, pathOf(contract.path, a.params, a.query), a.json === undefined ? undefined : { json: a.json }, a.signal);
}

/** Sends a file (or a form of files) as the body of a contract that takes bytes, not JSON. */
export function upload<E extends Endpoint<'POST', string, null>>(contract: E, data: Blob | FormData, args: Omit<CallArgs<E>, 'json'>): Promise<AnswerOf<E>>;
export function upload(contract: Endpoint, data: Blob | FormData, a: AnyArgs): Promise<unknown> {
  return send(contract.method, pathOf(contract.path, a.params, a.query), { bytes: data }, a.signal);
}

async function send<T>(method: string, path: string, body: { json: unknown } | { bytes: Blob | FormData } | undefined, signal: AbortSignal | undefined): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      // A spreadsheet's type depends on the browser and the system (often empty): the server reads the bytes.
      headers: !body ? {} : 'json' in body ? { 'Content-Type': 'application/json' } : body.bytes instanceof FormData ? {} : { 'Content-Type': 'application/octet-stream' },
      body: !body ? undefined : 'json' in body ? JSON.stringify(body.json) : body.bytes,
      credentials: 'same-origin',
      signal,
    });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : 'Network error');
  }
  const answer: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = apiErrorOf(answer);
    throw new ApiError(res.status, error?.code ?? 'internal', error?.message || `HTTP ${res.status}`, error?.details ?? {});
  }
  // The one place an answer gets its type: the server answers through the same contract
  // (server/http/reply.ts), so the compiler checked this shape on the other side.
  return answer as T;
}
