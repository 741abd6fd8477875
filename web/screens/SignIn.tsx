import { createSignal, Match, Show, Switch } from 'solid-js';
import { checkIdNumberPrefix } from '../../shared/id-number.ts';
import { api } from '../api/client.ts';
import type { Me } from '../api/types.ts';
import { deviceId } from '../device.ts';
import { errorText } from '../error-text.ts';
import { t } from '../i18n/index.ts';
import { setMe } from '../session.ts';

type Mode = 'retiree' | 'activate' | 'staff';

export function SignIn() {
  const [mode, setMode] = createSignal<Mode>('retiree');
  const [idNumber, setIdNumber] = createSignal('');
  const [secret, setSecret] = createSignal('');
  const [code, setCode] = createSignal('');
  const [pinAgain, setPinAgain] = createSignal('');
  const [username, setUsername] = createSignal('');
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);

  const idProblem = () => {
    const problem = checkIdNumberPrefix(idNumber());
    return problem && (idNumber().length === 18 || problem !== 'length') ? t(`id.${problem}`) : '';
  };

  async function submit(e: Event) {
    e.preventDefault();
    setError('');
    if (mode() !== 'staff') {
      const problem = checkIdNumberPrefix(idNumber()) ?? (idNumber().length === 18 ? null : 'length');
      if (problem) return setError(t(`id.${problem}`));
      if (!/^\d{6}$/.test(secret())) return setError(t('pin.format'));
      if (mode() === 'activate' && secret() !== pinAgain()) return setError(t('activate.mismatch'));
    }
    setBusy(true);
    try {
      const me =
        mode() === 'retiree'
          ? await api<Me>('/api/auth/sign-in/retiree', { json: { idNumber: idNumber(), pin: secret(), deviceId: deviceId() } })
          : mode() === 'activate'
            ? await api<Me>('/api/auth/activate', { json: { idNumber: idNumber(), code: code(), pin: secret(), deviceId: deviceId() } })
            : await api<Me>('/api/auth/sign-in', { json: { username: username(), password: secret(), deviceId: deviceId() } });
      setMe(me);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const switchTo = (next: Mode) => {
    setMode(next);
    setSecret('');
    setPinAgain('');
    setError('');
  };

  return (
    <main class="screen">
      <h1>{mode() === 'activate' ? t('activate.title') : t('signIn.title')}</h1>
      <form onSubmit={submit} novalidate>
        <Switch>
          <Match when={mode() !== 'staff'}>
            <label for="id-number">{t('signIn.idNumber')}</label>
            <input
              id="id-number"
              name="idNumber"
              inputmode="numeric"
              autocomplete="username"
              maxlength={18}
              value={idNumber()}
              onInput={(e) => setIdNumber(e.currentTarget.value.toUpperCase().replace(/[^0-9X]/g, ''))}
              aria-describedby="id-hint"
            />
            <p id="id-hint" class="hint" role={idProblem() ? 'alert' : undefined}>
              {idProblem() || t('signIn.idNumber.hint')}
            </p>
            <Show when={mode() === 'activate'}>
              <label for="code">{t('activate.code')}</label>
              <input id="code" name="code" inputmode="numeric" maxlength={8} value={code()} onInput={(e) => setCode(e.currentTarget.value.replace(/\D/g, ''))} />
            </Show>
            <label for="pin">{mode() === 'activate' ? t('activate.pin') : t('signIn.pin')}</label>
            <input id="pin" name="pin" type="password" inputmode="numeric" maxlength={6} autocomplete={mode() === 'activate' ? 'new-password' : 'current-password'} value={secret()} onInput={(e) => setSecret(e.currentTarget.value.replace(/\D/g, ''))} />
            <Show when={mode() === 'activate'}>
              <label for="pin-again">{t('activate.pinAgain')}</label>
              <input id="pin-again" name="pinAgain" type="password" inputmode="numeric" maxlength={6} autocomplete="new-password" value={pinAgain()} onInput={(e) => setPinAgain(e.currentTarget.value.replace(/\D/g, ''))} />
            </Show>
          </Match>
          <Match when={mode() === 'staff'}>
            <label for="username">{t('signIn.username')}</label>
            <input id="username" name="username" autocomplete="username" autocapitalize="off" value={username()} onInput={(e) => setUsername(e.currentTarget.value)} />
            <label for="password">{t('signIn.password')}</label>
            <input id="password" name="password" type="password" autocomplete="current-password" value={secret()} onInput={(e) => setSecret(e.currentTarget.value)} />
          </Match>
        </Switch>
        <Show when={error()}>
          <p class="error" role="alert">{error()}</p>
        </Show>
        <button class="primary" type="submit" disabled={busy()}>
          {mode() === 'activate' ? t('activate.submit') : t('signIn.submit')}
        </button>
      </form>
      <nav class="links">
        <Show when={mode() === 'retiree'}>
          <button class="link" type="button" onClick={() => switchTo('activate')}>{t('signIn.activateLink')}</button>
        </Show>
        <Show when={mode() !== 'retiree'}>
          <button class="link" type="button" onClick={() => switchTo('retiree')}>{t('signIn.retireeLink')}</button>
        </Show>
        <Show when={mode() !== 'staff'}>
          <button class="link" type="button" onClick={() => switchTo('staff')}>{t('signIn.staffLink')}</button>
        </Show>
      </nav>
    </main>
  );
}
