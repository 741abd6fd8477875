// The words for a failed sign-in (or a failed current-PIN check): how many tries are left, or that
// the account is locked, whom to call and from when it can be tried again; no network said plainly.
// Each is shown and spoken (signInErrorSpeech names the `say.*` key the screen says aloud).
import { ApiError } from '../api/client.ts';
import { errorText } from '../error-text.ts';
import { lang, t, type MessageKey } from '../i18n/index.ts';

type SayKey = Extract<MessageKey, `say.${string}`>;

export interface SignInSpeech {
  key: SayKey;
  count?: number;
}

const when = (ms: number) => new Intl.DateTimeFormat(lang(), { month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(ms);

/**
 * Who was signing in: a retiree (ID number and PIN) or staff and family (username and password),
 * so that a wrong password names what was typed.
 */
export type SignInWho = 'retiree' | 'staff';

/** What is said aloud for a failed sign-in, or null for an error that has no spoken form. */
export function signInErrorSpeech(err: unknown, who: SignInWho = 'retiree'): SignInSpeech | null {
  if (!(err instanceof ApiError)) return null;
  switch (err.code) {
    case 'network':
      return { key: 'say.signIn.offline' };
    case 'account_locked':
      return { key: 'say.signIn.locked' };
    case 'rate_limited':
      return { key: 'say.signIn.wait' };
    case 'invalid_credentials': {
      const left = err.details.attemptsLeft;
      if (who === 'staff') return typeof left === 'number' ? { key: 'say.signIn.wrongPassword', count: left } : { key: 'say.signIn.wrongPasswordNoCount' };
      return typeof left === 'number' ? { key: 'say.signIn.wrongPin', count: left } : { key: 'say.signIn.wrongPinNoCount' };
    }
    default:
      return null;
  }
}

/**
 * Whether the keypad folds away for this error: a wait or a lock says when to try again, in words
 * taller than the room above the keypad on a 360×640 phone at 特大 (decision 094); typing can only
 * be refused until then, so one 重新输入 button stands for the keypad until it is tapped.
 */
export function foldsKeypad(err: unknown): boolean {
  return err instanceof ApiError && (err.code === 'rate_limited' || err.code === 'account_locked');
}

/**
 * The day and the time a wait or a lock names, each as its words write it, to keep each whole on a
 * line ("December 4" and "10:02 PM": the two together are wider than a line at 特大); none otherwise.
 */
export function signInErrorDates(err: unknown): string[] {
  if (!foldsKeypad(err) || !(err instanceof ApiError) || typeof err.details.retryAt !== 'number') return [];
  const at = err.details.retryAt;
  return [new Intl.DateTimeFormat(lang(), { month: 'long', day: 'numeric' }).format(at), new Intl.DateTimeFormat(lang(), { hour: '2-digit', minute: '2-digit' }).format(at)];
}

/** The words for a failed sign-in: the spoken sentence, then from when it can be tried again. */
export function signInErrorText(err: unknown, who: SignInWho = 'retiree'): string {
  const speech = signInErrorSpeech(err, who);
  if (!speech) return errorText(err);
  const text = t(speech.key, { count: speech.count ?? '' });
  const at = err instanceof ApiError && typeof err.details.retryAt === 'number' ? err.details.retryAt : null;
  return at && (speech.key === 'say.signIn.locked' || speech.key === 'say.signIn.wait') ? `${text} ${t('signIn.retryAt', { time: when(at) })}` : text;
}
