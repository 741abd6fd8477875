// Family sign-up (issue 19): name, phone number, username and password, each checked in words next
// to its field; the account is signed in at once and starts with nobody to help until a request is
// approved. Reached from the sign-in screen ("我是家属，第一次用：注册", #/family-sign-up).
import { createSignal, For, Show } from 'solid-js';
import { FAMILY } from '../../shared/schemas/family.ts';
import { ApiError, call } from '../api/client.ts';
import { deviceId } from '../data/device-id.ts';
import { formatTime, t, type MessageKey } from '../i18n/index.ts';
import { closeSignUp } from '../screens/sign-up-route.ts';
import { setMe } from '../session.ts';
import { signUpProblems, type SignUpFields, type SignUpProblems } from './sign-up-check.ts';

const FIELDS: { name: keyof SignUpFields; label: MessageKey; hint?: MessageKey; type: string; autocomplete: string; inputmode?: 'tel' }[] = [
  { name: 'displayName', label: 'fam.signUp.name', type: 'text', autocomplete: 'name' },
  { name: 'phone', label: 'fam.signUp.phone', hint: 'fam.signUp.phoneHint', type: 'tel', autocomplete: 'tel', inputmode: 'tel' },
  { name: 'username', label: 'fam.signUp.username', hint: 'fam.signUp.usernameHint', type: 'text', autocomplete: 'username' },
  { name: 'password', label: 'fam.signUp.password', type: 'password', autocomplete: 'new-password' },
  { name: 'passwordAgain', label: 'fam.signUp.passwordAgain', type: 'password', autocomplete: 'new-password' },
];

function errorOf(err: unknown): { text: string; field?: keyof SignUpFields } {
  if (!(err instanceof ApiError)) return { text: t('fam.err.server') };
  if (err.code === 'network') return { text: t('fam.err.offline') };
  if (err.code === 'conflict' && err.details.reason === 'username_taken') return { text: t('fam.err.taken'), field: 'username' };
  if (err.code === 'rate_limited') {
    const at = typeof err.details.retryAt === 'number' ? formatTime(err.details.retryAt) : '';
    return { text: t('fam.err.signUpLimit', { time: at }) };
  }
  return { text: t('fam.err.server') };
}

export function FamilySignUp() {
  const [fields, setFields] = createSignal<SignUpFields>({ displayName: '', phone: '', username: '', password: '', passwordAgain: '' });
  const [problems, setProblems] = createSignal<SignUpProblems>({});
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);

  async function submit(e: Event) {
    e.preventDefault();
    setError('');
    const f = fields();
    const found = signUpProblems(f);
    setProblems(found);
    const first = FIELDS.find((x) => found[x.name]);
    if (first) {
      document.getElementById(`su-${first.name}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const me = await call(FAMILY.signUp, { json: { displayName: f.displayName, phone: f.phone, username: f.username, password: f.password, deviceId: deviceId() } });
      closeSignUp();
      setMe(me);
    } catch (err) {
      const { text, field } = errorOf(err);
      if (field) setProblems({ [field]: field === 'username' ? 'fam.err.taken' : undefined });
      else setError(text);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="screen sign-up" data-testid="family-sign-up">
      <h1>{t('fam.signUp.title')}</h1>
      <p>{t('fam.signUp.intro')}</p>
      <form onSubmit={submit} novalidate>
        <For each={FIELDS}>
          {(x) => (
            <>
              <label for={`su-${x.name}`}>{t(x.label)}</label>
              <input
                id={`su-${x.name}`}
                name={x.name}
                type={x.type}
                autocomplete={x.autocomplete}
                inputmode={x.inputmode}
                autocapitalize="off"
                spellcheck={false}
                value={fields()[x.name]}
                aria-invalid={problems()[x.name] ? 'true' : undefined}
                aria-describedby={`su-${x.name}-note`}
                onInput={(e) => setFields((f) => ({ ...f, [x.name]: e.currentTarget.value }))}
              />
              <Show
                when={problems()[x.name]}
                fallback={
                  <p id={`su-${x.name}-note`} class="hint">
                    {x.hint ? t(x.hint) : ''}
                  </p>
                }
              >
                {(key) => (
                  <p id={`su-${x.name}-note`} class="hint error" role="alert">
                    {t(key())}
                  </p>
                )}
              </Show>
            </>
          )}
        </For>
        <Show when={error()}>
          <p class="error" role="alert">{error()}</p>
        </Show>
        <button class="primary" type="submit" disabled={busy()} data-testid="sign-up-submit">
          {t('fam.signUp.submit')}
        </button>
      </form>
      <nav class="links" aria-label={t('fam.signUp.title')}>
        <button class="link" type="button" onClick={closeSignUp}>
          {t('fam.signUp.back')}
        </button>
      </nav>
    </main>
  );
}
