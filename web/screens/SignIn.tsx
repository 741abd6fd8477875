// Sign-in. Retirees type their ID number on a large keypad (grouped 6-8-4, checked as typed), then
// a 6-digit PIN. The first time ("第一次使用", a full-width button at the top of the first screen),
// the camera reads the QR code on the activation letter and only a new PIN is typed, twice; or the
// ID number and the activation code are typed (decision 064). One field per screen, and the next one
// comes by itself once a field is complete and valid. Staff and family members sign in with a
// username and password.
//
// The fields are real <input>s (inputmode="none": the on-screen pad replaces the phone keyboard,
// while a hardware keyboard, a screen reader or a test can still type into them). The ID number is
// drawn over its input in groups that wrap, so all 18 characters show at every text size; the
// keypad and the main button stay at the bottom of the screen (decision 065).
import { createEffect, createSignal, Match, on, onCleanup, onMount, Show, Switch } from 'solid-js';
import type { ActivationQr } from '../../shared/activation-qr.ts';
import { checkIdNumberPrefix, type IdNumberProblem } from '../../shared/id-number.ts';
import { AUTH, type Me } from '../../shared/schemas/auth.ts';
import { ApiError, call } from '../api/client.ts';
import { Dated } from '../components/Dated.tsx';
import { groupIdNumber } from '../components/id-format.ts';
import { IdGroups } from '../components/IdGroups.tsx';
import { Keypad } from '../components/Keypad.tsx';
import { loadPrefs } from '../components/prefs.ts';
import { say } from '../components/speech.ts';
import { deviceId } from '../data/device-id.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import { setMe, signedOutBecause } from '../session.ts';
import { ScanLetter } from './ScanLetter.tsx';
import { foldsKeypad, signInErrorDates, signInErrorSpeech, signInErrorText } from './sign-in-errors.ts';
import { SIGN_UP_HASH } from './sign-up-route.ts';

type Mode = 'retiree' | 'activate' | 'staff';
type Step = 'id' | 'pin' | 'code' | 'newPin' | 'newPinAgain';
type Screen = Step | 'scan';

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

/** The group of the ID number (0: region, 1: birth date, 2: sequence and check character) a problem points at. */
export function wrongIdGroup(problem: IdNumberProblem | null): number | null {
  return problem === 'region' ? 0 : problem === 'birth_date' ? 1 : null;
}

/** A small QR code drawn for the first-use button: nothing to download. */
function QrPicture() {
  return (
    <svg class="first-use-picture" viewBox="0 0 24 24" aria-hidden="true">
      <path
        fill="currentColor"
        d="M3 3h8v8H3zm2 2v4h4V5zm8-2h8v8h-8zm2 2v4h4V5zM3 13h8v8H3zm2 2v4h4v-4zm8-2h3v3h-3zm3 3h2v2h-2zm2-3h3v3h-3zm-5 5h3v3h-3zm5 0h3v3h-3zM6 6h2v2H6zm10 0h2v2h-2zM6 16h2v2H6z"
      />
    </svg>
  );
}

export function SignIn() {
  const [mode, setMode] = createSignal<Mode>('retiree');
  const [screen, setScreen] = createSignal<Screen>('id');
  // While the scanner shows, the form underneath is the ID step's (nothing of it is rendered).
  const step = (): Step => {
    const s = screen();
    return s === 'scan' ? 'id' : s;
  };
  const setStep = (s: Step) => setScreen(s);
  const [scanned, setScanned] = createSignal(false);
  const [values, setValues] = createSignal<Record<Step, string>>({ id: '', pin: '', code: '', newPin: '', newPinAgain: '' });
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal('');
  // A wait or a lock (decision 094): its words take the keypad's room, and one 重新输入 button stands
  // for the keypad until it is tapped. Nothing unfolds by itself: the words say when to try again.
  const [folded, setFolded] = createSignal(false);
  // The day and time to try again in those words, each kept whole on its line.
  const [errorDates, setErrorDates] = createSignal<string[]>([]);
  const [busy, setBusy] = createSignal(false);
  let input: HTMLInputElement | undefined;
  let dock: HTMLDivElement | undefined;
  let fieldEnd: HTMLElement | undefined;

  // A text size chosen in Settings applies here too (a retiree signed out keeps it), and the screen
  // opens at its top, where 第一次使用 is, whatever screen was scrolled before it.
  onMount(() => {
    void loadPrefs();
    window.scrollTo(0, 0);
  });

  // On a short screen (a 360×640 phone) the retiree sign-in's title is for screen readers only: the
  // first-use button and the field's own label say where one is, and the keypad needs the room.
  const shortQuery = typeof matchMedia === 'function' ? matchMedia('(max-height: 700px)') : null;
  const [short, setShort] = createSignal(shortQuery?.matches ?? false);
  onMount(() => {
    const follow = () => setShort(shortQuery!.matches);
    shortQuery?.addEventListener('change', follow);
    onCleanup(() => shortQuery?.removeEventListener('change', follow));
  });

  const value = (s: Step = step()) => values()[s];
  const field = () => FIELDS[step()];

  const idProblemCode = () => {
    const id = value('id');
    const problem = checkIdNumberPrefix(id);
    return problem && (id.length === 18 || problem !== 'length') ? problem : null;
  };
  const idProblemKey = () => {
    const problem = idProblemCode();
    return problem ? (`say.id.${problem}` as const) : null;
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

  // A new field: say what to type, and put the focus there for screen readers. The scanner says
  // its own words; the PIN after a scan says the code was read.
  createEffect(
    on([screen, mode], ([s, m]) => {
      if (m === 'staff' || s === 'scan') return;
      if (!reasonSpoken && signedOutBecause() === 'pin_reset') {
        reasonSpoken = true;
        say('say.signIn.pinReset');
      } else if (s === 'id' && m === 'retiree') say('say.signIn.first');
      else say(s === 'newPin' && scanned() && value('newPin') === '' ? 'say.scan.done' : FIELDS[s].speech);
      queueMicrotask(() => {
        input?.focus({ preventScroll: true });
        // The first screen opens at its top (the first-use button); a later field is brought into view.
        if (s !== 'id' || m !== 'retiree') keepFieldInView();
      });
    }),
  );

  // On a short screen the keypad, kept at the bottom, can cover the field: the page moves up just
  // enough for the field and its hint to show above the keypad while typing.
  function keepFieldInView() {
    if (!dock || !fieldEnd) return;
    const hidden = fieldEnd.getBoundingClientRect().bottom - dock.getBoundingClientRect().top;
    if (hidden > 0) window.scrollBy(0, hidden + 8);
  }

  // What the server said (a wrong PIN and the tries left, wait, locked and whom to call) shows under
  // the field, where the keypad covered it on a 360×640 phone: it is brought into view the same way.
  createEffect(on(error, (e) => e && queueMicrotask(keepFieldInView), { defer: true }));

  function scannedLetter(letter: ActivationQr) {
    setValues((v) => ({ ...v, id: letter.idNumber, code: letter.code, newPin: '', newPinAgain: '' }));
    setScanned(true);
    setError('');
    setStep('newPin');
  }

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
    queueMicrotask(keepFieldInView);
  }

  const display = () => (step() === 'id' ? groupIdNumber(value('id')) : value());

  /** 重新输入: the keypad back, the words of the wait or lock gone, the field said again. */
  function typeAgain() {
    setFolded(false);
    setError('');
    say(field().speech);
    queueMicrotask(() => input?.focus({ preventScroll: true }));
  }

  async function submit(e: Event) {
    e.preventDefault();
    setError('');
    setFolded(false);
    if (mode() === 'staff') return send(() => call(AUTH.signIn, { json: { username: username(), password: password(), deviceId: deviceId() } }));
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
      return send(() => call(AUTH.signInRetiree, { json: { idNumber: value('id'), pin: value('pin'), deviceId: deviceId() } }), () => clear('pin'));
    }
    if (value('newPin') !== value('newPinAgain')) {
      clear('newPin', 'newPinAgain');
      setStep('newPin');
      return setError(t('activate.mismatch'));
    }
    return send(
      () => call(AUTH.activate, { json: { idNumber: value('id'), code: value('code'), pin: value('newPin'), deviceId: deviceId() } }),
      (err) => {
        clear('newPin', 'newPinAgain');
        if (err instanceof ApiError && err.code === 'invalid_activation_code') {
          // The letter's code is used, expired or replaced: a new one is typed, not scanned.
          setScanned(false);
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
      const who = mode() === 'staff' ? 'staff' : 'retiree';
      setError(signInErrorText(err, who));
      setFolded(who === 'retiree' && foldsKeypad(err));
      setErrorDates(signInErrorDates(err));
      const speech = signInErrorSpeech(err, who);
      if (speech) say(speech.key, speech.count === undefined ? {} : { count: speech.count });
    } finally {
      setBusy(false);
    }
  }

  function switchTo(next: Mode) {
    setFolded(false);
    setMode(next);
    setScreen(next === 'activate' ? 'scan' : 'id');
    setScanned(false);
    clear('pin', 'code', 'newPin', 'newPinAgain');
    if (next === 'activate') clear('id');
    setPassword('');
    setError('');
  }

  function back() {
    setFolded(false);
    setError('');
    const s = step();
    clear(s);
    // A scanned letter goes back to the scanner: its ID number and code were never typed here.
    if (s === 'newPin' && scanned()) return switchTo('activate');
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
    <main class="screen sign-in" classList={{ 'with-keypad': mode() !== 'staff' && screen() !== 'scan' }} data-screen={mode() === 'staff' ? 'staff' : screen()} data-mode={mode()}>
      <Show when={mode() === 'retiree' && screen() === 'id'}>
        <button class="first-use" type="button" data-testid="first-use" onClick={() => switchTo('activate')}>
          <QrPicture />
          <span class="first-use-words">
            <span class="first-use-title">{t('signIn.firstUse')}</span>
            <span class="first-use-detail">{t('signIn.firstUse.detail')}</span>
          </span>
        </button>
      </Show>
      <h1 classList={{ 'visually-hidden': mode() === 'retiree' && short() }}>{title()}</h1>
      <Show when={signedOutBecause() === 'pin_reset'}>
        <p class="status-card alert" role="status" data-testid="signed-out-reason">
          {t('say.signIn.pinReset')}
        </p>
      </Show>
      <Switch>
        <Match when={mode() !== 'staff'}>
          <Show
            when={screen() !== 'scan'}
            fallback={<ScanLetter onScanned={scannedLetter} onManual={() => setScreen('id')} />}
          >
            <form onSubmit={submit} novalidate>
              <Show when={step() !== 'id'}>
                <p class="sign-in-id" data-testid="sign-in-id">
                  {t('signIn.idFor', { id: '' })}
                  <IdGroups id={value('id')} />
                </p>
              </Show>
              <Show when={scanned() && (step() === 'newPin' || step() === 'newPinAgain')}>
                <p class="ok" data-testid="scan-ok">
                  {t('scan.ok')}
                </p>
              </Show>
              <label for={`field-${step()}`}>{t(field().label)}</label>
              <div class="field-box" classList={{ 'id-box': step() === 'id', invalid: step() === 'id' && !!idProblem() }}>
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
                  aria-invalid={step() === 'id' && !!idProblem()}
                />
                <Show when={step() === 'id'}>
                  <IdGroups id={value('id')} wrong={wrongIdGroup(idProblemCode())} class="id-shown" />
                </Show>
              </div>
              <div ref={(el) => (fieldEnd = el)}>
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
                    <Dated text={error()} dates={errorDates()} />
                  </p>
                </Show>
              </div>
              <div class="keypad-dock main-action" ref={dock}>
                <Show
                  when={!folded()}
                  fallback={
                    <button class="primary" type="button" data-testid="sign-in-again" onClick={typeAgain}>
                      {t('signIn.typeAgain')}
                    </button>
                  }
                >
                  <Keypad
                    allowX={step() === 'id'}
                    disabled={busy()}
                    controls={`field-${step()}`}
                    onKey={(k) => setValue(value() + k)}
                    onDelete={() => setValue(value().slice(0, -1))}
                  />
                  <button class="primary" type="submit" disabled={busy()} data-testid="sign-in-submit">
                    {submitLabel()}
                  </button>
                </Show>
              </div>
            </form>
          </Show>
          <nav class="links" aria-label={t('signIn.title')}>
            <Show when={screen() !== 'id' && screen() !== 'scan'}>
              <button class="link" type="button" onClick={back}>
                {step() === 'pin' || step() === 'code' || (step() === 'newPin' && scanned()) ? t('signIn.changeId') : t('signIn.back')}
              </button>
            </Show>
            <Show when={step() === 'pin'}>
              <p class="hint">{t('signIn.forgotPin')}</p>
            </Show>
            <Show when={screen() === 'id' && mode() === 'activate'}>
              <button class="link" type="button" onClick={() => switchTo('activate')}>
                {t('signIn.scanAgain')}
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
              <a class="link" href={SIGN_UP_HASH}>{t('signIn.familySignUp')}</a>
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
            <a class="link" href={SIGN_UP_HASH}>{t('signIn.familySignUp')}</a>
          </nav>
        </Match>
      </Switch>
    </main>
  );
}
