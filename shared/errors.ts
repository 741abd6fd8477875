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
