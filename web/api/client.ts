// The one way the web app talks to the server: JSON in, JSON out, errors as ApiError with the
// server's stable code ('network' when the request never got an answer).
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

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  json?: unknown;
  signal?: AbortSignal;
}

export async function api<T>(path: string, { method, json, signal }: RequestOptions = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: method ?? (json === undefined ? 'GET' : 'POST'),
      headers: json === undefined ? {} : { 'Content-Type': 'application/json' },
      body: json === undefined ? undefined : JSON.stringify(json),
      credentials: 'same-origin',
      signal,
    });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : 'Network error');
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = apiErrorOf(body);
    throw new ApiError(res.status, error?.code ?? 'internal', error?.message || `HTTP ${res.status}`, error?.details ?? {});
  }
  return body as T;
}
