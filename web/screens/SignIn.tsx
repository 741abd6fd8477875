// Sign-in. Retirees type their ID number on a large keypad (grouped 6-8-4, checked as typed), then
// a 6-digit PIN; the first time, an activation code and a new PIN chosen twice. One field per
// screen, and the next one comes by itself once a field is complete and valid. Staff and family
// members sign in with a username and password.
//
// The fields are real <input>s (inputmode="none": the on-screen pad replaces the phone keyboard,
// while a hardware keyboard, a screen reader or a test can still type into them).
import { createEffect, createSignal, Match, on, Show, Switch } from 'solid-js';
import { checkIdNumberPrefix } from '../../shared/id-number.ts';
import { api, ApiError } from '../api/client.ts';
import type { Me } from '../api/types.ts';
import { groupIdNumber } from '../components/id-format.ts';
import { Keypad } from '../components/Keypad.tsx';
import { say } from '../components/speech.ts';
import { deviceId } from '../device.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import { setMe, signedOutBecause } from '../session.ts';
import { signInErrorSpeech, signInErrorText } from './sign-in-errors.ts';

type Mode = 'retiree' | 'activate' | 'staff';
type Step = 'id' | 'pin' | 'code' | 'newPin' | 'newPinAgain';

interface FieldSpec {
  label: MessageKey;
  length: number;
  secret: boolean;
  progress: MessageKey;
  speech: Extract<MessageKey, `say.${string}`>;
}

const FIELDS: Record<Step, FieldSpec> = {
  id: { label: 'signIn.idNumber', length: 18, secret: false, progress: 'signIn.idProgress', speech: 'say.signIn.id' },
  pin: { label: 'signIn.pin', length: 6, secret: true, progress: 'signIn.pinProgress', speech: 'say.signIn.pin' },
  code: { label: 'activate.code', length: 8, secret: false, progress: 'signIn.codeProgress', speech: 'say.signIn.code' },
  newPin: { label: 'activate.pin', length: 6, secret: true, progress: 'signIn.pinProgress', speech: 'say.signIn.newPin' },
  newPinAgain: { label: 'activate.pinAgain', length: 6, secret: true, progress: 'signIn.pinProgress', speech: 'say.signIn.newPinAgain' },
};

export function SignIn() {
  const [mode, setMode] = createSignal<Mode>('retiree');
  const [step, setStep] = createSignal<Step>('id');
  const [values, setValues] = createSignal<Record<Step, string>>({ id: '', pin: '', code: '', newPin: '', newPinAgain: '' });
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  let input: HTMLInputElement | undefined;

  const value = (s: Step = step()) => values()[s];
  const field = () => FIELDS[step()];

  const idProblemKey = () => {
    const id = value('id');
    const problem = checkIdNumberPrefix(id);
    return problem && (id.length === 18 || problem !== 'length') ? (`say.id.${problem}` as const) : null;
  };
  const idProblem = () => {
    const key = idProblemKey();
    return key ? t(key) : '';
  };
  // A wrong digit is said as soon as it is shown: the keypad gives no other sign.
  createEffect(on(idProblemKey, (key) => key && say(key), { defer: true }));

  // Why this phone was signed out, when the office reset the PIN: said first, instead of the ID
  // prompt (only the newest instruction is ever spoken), and shown until someone signs in.
  let reasonSpoken = false;

  // A new field: say what to type, and put the focus there for screen readers.
  createEffect(
    on([step, mode], ([s, m]) => {
      if (m === 'staff') return;
      if (!reasonSpoken && signedOutBecause() === 'pin_reset') {
        reasonSpoken = true;
        say('say.signIn.pinReset');
      } else say(FIELDS[s].speech);
      queueMicrotask(() => input?.focus({ preventScroll: true }));
    }),
  );

  function clear(...steps: Step[]) {
    setValues((v) => ({ ...v, ...Object.fromEntries(steps.map((s) => [s, ''])) }));
  }

  function advance() {
    const s = step();
    if (s === 'id') {
      if (value('id').length !== 18 || idProblem()) return;
      setError('');
      setStep(mode() === 'activate' ? 'code' : 'pin');
    } else if (s === 'code' && value('code').length === 8) {
      setError('');
      setStep('newPin');
    } else if (s === 'newPin' && value('newPin').length === 6) {
      setStep('newPinAgain');
    }
  }

  function setValue(next: string) {
    const s = step();
    const cleaned = (s === 'id' ? next.toUpperCase().replace(/[^0-9X]/g, '') : next.replace(/\D/g, '')).slice(0, FIELDS[s].length);
    setValues((v) => ({ ...v, [s]: cleaned }));
    if (input && input.value !== display()) input.value = display();
    advance();
  }

  const display = () => (step() === 'id' ? groupIdNumber(value('id')) : value());

  async function submit(e: Event) {
    e.preventDefault();
    setError('');
    if (mode() === 'staff') return send(() => api<Me>('/api/auth/sign-in', { json: { username: username(), password: password(), deviceId: deviceId() } }));
    const s = step();
    if (s === 'id') {
      if (idProblem()) return;
      if (value('id').length !== 18) {
        say('say.id.length');
        return setError(t('say.id.length'));
      }
      return advance();
    }
    if (s === 'code' || s === 'newPin') {
      if (value().length !== field().length) return setError(s === 'code' ? t('error.invalid_activation_code') : t('pin.format'));
      return advance();
    }
    if (value().length !== 6) return setError(t('pin.format'));
    if (s === 'pin') {
      return send(() => api<Me>('/api/auth/sign-in/retiree', { json: { idNumber: value('id'), pin: value('pin'), deviceId: deviceId() } }), () => clear('pin'));
    }
    if (value('newPin') !== value('newPinAgain')) {
      clear('newPin', 'newPinAgain');
      setStep('newPin');
      return setError(t('activate.mismatch'));
    }
    return send(
      () => api<Me>('/api/auth/activate', { json: { idNumber: value('id'), code: value('code'), pin: value('newPin'), deviceId: deviceId() } }),
      (err) => {
        clear('newPin', 'newPinAgain');
        if (err instanceof ApiError && err.code === 'invalid_activation_code') {
          clear('code');
          setStep('code');
        } else if (err instanceof ApiError && err.code === 'weak_pin') {
          setStep('newPin');
        }
      },
    );
  }

  async function send(request: () => Promise<Me>, onError?: (err: unknown) => void) {
    setBusy(true);
    try {
      setMe(await request());
    } catch (err) {
      onError?.(err);
      setError(signInErrorText(err));
      const speech = signInErrorSpeech(err);
      if (speech) say(speech.key, speech.count === undefined ? {} : { count: speech.count });
    } finally {
      setBusy(false);
    }
  }

  function switchTo(next: Mode) {
    setMode(next);
    setStep('id');
    clear('pin', 'code', 'newPin', 'newPinAgain');
    setPassword('');
    setError('');
  }

  function back() {
    setError('');
    const s = step();
    clear(s);
    setStep(s === 'pin' || s === 'code' ? 'id' : s === 'newPin' ? 'code' : 'newPin');
  }

  const title = () => (mode() === 'activate' ? t('activate.title') : t('signIn.title'));
  const submitLabel = () => {
    const s = step();
    if (s === 'pin') return t('signIn.submit');
    if (s === 'newPinAgain') return t('activate.submit');
    return t('signIn.next');
  };

  return (
    <main class="screen sign-in">
      <h1>{title()}</h1>
      <Show when={signedOutBecause() === 'pin_reset'}>
        <p class="status-card alert" role="status" data-testid="signed-out-reason">
          {t('say.signIn.pinReset')}
        </p>
      </Show>
      <Switch>
        <Match when={mode() !== 'staff'}>
          <form onSubmit={submit} novalidate>
            <Show when={step() !== 'id'}>
              <p class="sign-in-id" data-testid="sign-in-id">
                {t('signIn.idFor', { id: groupIdNumber(value('id')) })}
              </p>
            </Show>
            <label for={`field-${step()}`}>{t(field().label)}</label>
            <input
              ref={input}
              id={`field-${step()}`}
              class={`keypad-field${field().secret ? ' secret' : ''}`}
              type={field().secret ? 'password' : 'text'}
              inputmode="none"
              autocomplete={step() === 'id' ? 'username' : step() === 'pin' ? 'current-password' : step() === 'code' ? 'one-time-code' : 'new-password'}
              spellcheck={false}
              value={display()}
              onInput={(e) => setValue(e.currentTarget.value)}
              aria-describedby={`hint-${step()}`}
            />
            <Show
              when={step() === 'id' && idProblem()}
              fallback={
                <p id={`hint-${step()}`} class="hint">
                  {step() === 'id' && value('id').length === 0 ? t('signIn.idNumber.hint') : t(field().progress, { n: value().length })}
                </p>
              }
            >
              <p id={`hint-${step()}`} class="hint error" role="alert">
                {idProblem()}
              </p>
            </Show>
            <Show when={error() && !(step() === 'id' && idProblem())}>
              <p class="error" role="alert">
                {error()}
              </p>
            </Show>
            <Keypad
              allowX={step() === 'id'}
              disabled={busy()}
              controls={`field-${step()}`}
              onKey={(k) => setValue(value() + k)}
              onDelete={() => setValue(value().slice(0, -1))}
            />
            <button class="primary" type="submit" disabled={busy()}>
              {submitLabel()}
            </button>
          </form>
          <nav class="links" aria-label={t('signIn.title')}>
            <Show when={step() !== 'id'}>
              <button class="link" type="button" onClick={back}>
                {step() === 'pin' || step() === 'code' ? t('signIn.changeId') : t('signIn.back')}
              </button>
            </Show>
            <Show when={step() === 'pin'}>
              <p class="hint">{t('signIn.forgotPin')}</p>
            </Show>
            <Show when={step() === 'id' && mode() === 'retiree'}>
              <button class="link" type="button" onClick={() => switchTo('activate')}>
                {t('signIn.activateLink')}
              </button>
            </Show>
            <Show when={step() === 'id' && mode() === 'activate'}>
              <button class="link" type="button" onClick={() => switchTo('retiree')}>
                {t('signIn.retireeLink')}
              </button>
            </Show>
            <Show when={step() === 'id'}>
              <button class="link" type="button" onClick={() => switchTo('staff')}>
                {t('signIn.staffLink')}
              </button>
            </Show>
          </nav>
        </Match>
        <Match when={mode() === 'staff'}>
          <form onSubmit={submit} novalidate>
            <label for="username">{t('signIn.username')}</label>
            <input id="username" name="username" autocomplete="username" autocapitalize="off" value={username()} onInput={(e) => setUsername(e.currentTarget.value)} />
            <label for="password">{t('signIn.password')}</label>
            <input id="password" name="password" type="password" autocomplete="current-password" value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
            <Show when={error()}>
              <p class="error" role="alert">
                {error()}
              </p>
            </Show>
            <button class="primary" type="submit" disabled={busy()}>
              {t('signIn.submit')}
            </button>
          </form>
          <nav class="links" aria-label={t('signIn.title')}>
            <button class="link" type="button" onClick={() => switchTo('retiree')}>
              {t('signIn.retireeLink')}
            </button>
          </nav>
        </Match>
      </Switch>
    </main>
  );
}
