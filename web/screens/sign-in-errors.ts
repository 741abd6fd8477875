// The words for a failed sign-in (or a failed current-PIN check): how many tries are left, or until
// when the account is locked and whom to call; no network said plainly.
import { ApiError } from '../api/client.ts';
import { errorText } from '../error-text.ts';
import { lang, t } from '../i18n/index.ts';

const when = (ms: number) => new Intl.DateTimeFormat(lang(), { month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(ms);

/** The words for a failed sign-in: tries left, or until when it is locked and whom to call. */
export function signInErrorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'network') return t('signIn.offline');
    if (err.code === 'account_locked') {
      const at = typeof err.details.retryAt === 'number' ? err.details.retryAt : null;
      return t('signIn.locked', { time: at ? when(at) : '' });
    }
    if (err.code === 'invalid_credentials') {
      const left = err.details.attemptsLeft;
      return typeof left === 'number' ? t('signIn.wrongPin', { n: left }) : t('signIn.wrongPinNoCount');
    }
  }
  return errorText(err);
}
