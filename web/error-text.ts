import { ApiError } from './api/client.ts';
import { formatTime, t, type MessageKey } from './i18n/index.ts';

/** A plain-words message for a failed request, in the user's language. */
export function errorText(err: unknown): string {
  if (!(err instanceof ApiError)) return t('error.generic');
  const retryAt = typeof err.details.retryAt === 'number' ? err.details.retryAt : null;
  switch (err.code) {
    case 'invalid_credentials': {
      const left = err.details.attemptsLeft;
      return typeof left === 'number' && left <= 5 ? t('error.invalid_credentials.left', { n: left }) : t('error.invalid_credentials');
    }
    case 'rate_limited':
    case 'account_locked':
      return t(`error.${err.code}`, { time: retryAt ? formatTime(retryAt) : '' });
    case 'invalid_activation_code':
    case 'weak_pin':
    case 'server_busy':
    case 'network':
    case 'validation_failed':
      return t(`error.${err.code}` as MessageKey);
    default:
      return t('error.generic');
  }
}
