// Stable error codes of the API. Clients switch on `code` (and show their own translated text);
// `message` is a plain English explanation for developers and logs.
export const ERROR_CODES = [
  'bad_request',
  'malformed_json',
  'unsupported_media_type',
  'validation_failed',
  'payload_too_large',
  'request_timeout',
  'unauthenticated',
  'forbidden',
  'csrf_rejected',
  'not_found',
  'conflict',
  'invalid_credentials',
  'invalid_activation_code',
  'weak_pin',
  'rate_limited',
  'account_locked',
  'device_required',
  'server_busy',
  'reactivation_needs_office',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    /** Machine-readable extras: validation issues, `retryAt`, `attemptsLeft`, `lockedUntil`. */
    details?: Record<string, unknown>;
  };
}

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/**
 * The error of an API answer's body, checked rather than cast: clients decide by `code`, so a body
 * from something else on the way (a proxy's HTML page, a cut-off answer, a newer server's unknown
 * code) reads as null and the client falls back on the HTTP status alone.
 */
export function apiErrorOf(body: unknown): ApiErrorBody['error'] | null {
  const error = (body as { error?: unknown } | null)?.error as { code?: unknown; message?: unknown; details?: unknown } | undefined;
  if (!error || typeof error.code !== 'string' || !KNOWN_CODES.has(error.code)) return null;
  const details = error.details && typeof error.details === 'object' && !Array.isArray(error.details) ? (error.details as Record<string, unknown>) : undefined;
  return { code: error.code as ErrorCode, message: typeof error.message === 'string' ? error.message : '', ...(details ? { details } : {}) };
}

/** apiErrorOf for a body still in text form. */
export function apiErrorOfText(text: string): ApiErrorBody['error'] | null {
  try {
    return apiErrorOf(JSON.parse(text));
  } catch {
    return null;
  }
}
