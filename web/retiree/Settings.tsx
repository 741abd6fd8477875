// Settings: language, text size, voice on/off and speed, change PIN, phone storage, sign out.
// Every choice is a pair of big buttons (aria-pressed), never a small control.
import { createSignal, For, Show } from 'solid-js';
import { AUTH } from '../../shared/schemas/auth.ts';
import { call } from '../api/client.ts';
import { useSyncSummary } from '../data/index.ts';
import { Keypad } from '../components/Keypad.tsx';
import { prefs, updatePrefs, VOICE_RATES, type TextSize } from '../components/prefs.ts';
import { ReadAloud } from '../components/ReadAloud.tsx';
import { lineText, said, type Line } from '../components/said.ts';
import { say } from '../components/speech.ts';
import { StorageStatus } from '../components/StorageStatus.tsx';
import { signInErrorText } from '../screens/sign-in-errors.ts';
import { lang, setLang, t, type Lang, type MessageKey } from '../i18n/index.ts';
import { signOut } from '../session.ts';
import { FamilyHelpers } from './FamilyHelpers.tsx';

function Choice<T extends string | number | boolean>(props: { legend: Line; options: { value: T; label: Line }[]; value: T; onChange(v: T): void; testid?: string }) {
  return (
    <fieldset class="choice" data-testid={props.testid}>
      <legend {...said(props.legend)}>{lineText(props.legend)}</legend>
      <div class="choice-row">
        <For each={props.options}>
          {(o) => (
            <button type="button" class="choice-button" aria-pressed={props.value === o.value} onClick={() => props.onChange(o.value)} {...said(o.label)}>
              {lineText(o.label)}
            </button>
          )}
        </For>
      </div>
    </fieldset>
  );
}

export function LanguageTextVoice() {
  const rateName = () => (Object.entries(VOICE_RATES).find(([, r]) => r === prefs().voice.rate)?.[0] ?? 'normal') as keyof typeof VOICE_RATES;
  return (
    <>
      <Choice<Lang>
        legend={{ key: 'settings.language' }}
        testid="setting-language"
        options={[
          { value: 'zh-CN', label: { key: 'settings.language.zh' } },
          { value: 'en', label: { key: 'settings.language.en' } },
        ]}
        value={lang()}
        onChange={setLang}
      />
      <Choice<TextSize>
        legend={{ key: 'settings.textSize' }}
        testid="setting-text-size"
        options={[
          { value: 'large', label: { key: 'settings.textSize.large' } },
          { value: 'xlarge', label: { key: 'settings.textSize.xlarge' } },
        ]}
        value={prefs().textSize}
        onChange={(textSize) => updatePrefs({ textSize })}
      />
      <Choice<boolean>
        legend={{ key: 'settings.voice' }}
        testid="setting-voice"
        options={[
          { value: true, label: { key: 'settings.voice.on' } },
          { value: false, label: { key: 'settings.voice.off' } },
        ]}
        value={prefs().voice.enabled}
        onChange={(enabled) => updatePrefs({ voice: { ...prefs().voice, enabled } })}
      />
      <Show when={prefs().voice.enabled}>
        <Choice<keyof typeof VOICE_RATES>
          legend={{ key: 'settings.voice.speed' }}
          testid="setting-voice-speed"
          options={(['slow', 'normal', 'fast'] as const).map((k) => ({ value: k, label: { key: `settings.voice.${k}` } }))}
          value={rateName()}
          onChange={(k) => {
            updatePrefs({ voice: { ...prefs().voice, rate: VOICE_RATES[k] } });
            say('say.settings.voiceSample');
          }}
        />
      </Show>
    </>
  );
}

type PinStep = 'current' | 'new' | 'again';

function ChangePin() {
  const [open, setOpen] = createSignal(false);
  const [step, setStep] = createSignal<PinStep>('current');
  const [pins, setPins] = createSignal<Record<PinStep, string>>({ current: '', new: '', again: '' });
  // `said`: the message's catalog line, read by 读给我听 (a sign-in error from the server is shown only).
  const [message, setMessage] = createSignal<{ text: string; ok: boolean; said?: Line } | null>(null);
  const note = (key: 'pin.format' | 'activate.mismatch' | 'settings.pin.done' | 'settings.pin.offline', ok: boolean) => ({ text: t(key), ok, said: { key } });
  const [busy, setBusy] = createSignal(false);
  const labels: Record<PinStep, 'settings.pin.current' | 'settings.pin.new' | 'settings.pin.again'> = { current: 'settings.pin.current', new: 'settings.pin.new', again: 'settings.pin.again' };

  const set = (v: string) => {
    const s = step();
    const clean = v.replace(/\D/g, '').slice(0, 6);
    setPins((p) => ({ ...p, [s]: clean }));
    if (clean.length === 6 && s !== 'again') setStep(s === 'current' ? 'new' : 'again');
  };

  async function save(e: Event) {
    e.preventDefault();
    const p = pins();
    if (p.again.length !== 6 || p.new.length !== 6 || p.current.length !== 6) return setMessage(note('pin.format', false));
    if (p.new !== p.again) {
      setPins({ ...p, new: '', again: '' });
      setStep('new');
      return setMessage(note('activate.mismatch', false));
    }
    setBusy(true);
    try {
      await call(AUTH.changePin, { json: { currentPin: p.current, newPin: p.new } });
      setMessage(note('settings.pin.done', true));
      setPins({ current: '', new: '', again: '' });
      setStep('current');
      setOpen(false);
    } catch (err) {
      setMessage((err as { code?: string }).code === 'network' ? note('settings.pin.offline', false) : { text: signInErrorText(err), ok: false });
      setPins({ current: '', new: '', again: '' });
      setStep('current');
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="change-pin" aria-labelledby="pin-title">
      <h2 id="pin-title" {...said({ key: 'settings.pin.title' })}>
        {t('settings.pin.title')}
      </h2>
      <Show when={message()}>
        {(m) => (
          <p class={m().ok ? 'ok' : 'error'} role={m().ok ? 'status' : 'alert'} {...(m().said ? said(m().said!) : {})}>
            {m().text}
          </p>
        )}
      </Show>
      <Show
        when={open()}
        fallback={
          <button class="secondary" type="button" onClick={() => setOpen(true)} {...said({ key: 'settings.pin.title' })}>
            {t('settings.pin.title')}
          </button>
        }
      >
        <form onSubmit={save} novalidate>
          <label for={`pin-${step()}`} {...said({ key: labels[step()] })}>
            {t(labels[step()])}
          </label>
          <input
            id={`pin-${step()}`}
            class="keypad-field secret"
            type="password"
            inputmode="none"
            autocomplete={step() === 'current' ? 'current-password' : 'new-password'}
            value={pins()[step()]}
            onInput={(e) => set(e.currentTarget.value)}
          />
          <Keypad disabled={busy()} controls={`pin-${step()}`} onKey={(k) => set(pins()[step()] + k)} onDelete={() => set(pins()[step()].slice(0, -1))} />
          <button class="primary" type="submit" disabled={busy()} {...said({ key: 'settings.pin.save' })}>
            {t('settings.pin.save')}
          </button>
        </form>
      </Show>
    </section>
  );
}

export function SignOutButton(props: { userId: number }) {
  const summary = useSyncSummary(() => props.userId);
  const waiting = () => summary().waiting + summary().sending;
  return (
    <section class="sign-out">
      <Show when={waiting() > 0}>
        <p {...said({ key: 'settings.signOut.waiting', values: { n: { number: waiting() } } })}>{t('settings.signOut.waiting', { n: waiting() })}</p>
      </Show>
      <button
        class="secondary"
        type="button"
        onClick={() => {
          // The next person to sign in on this phone starts at Home, not on this screen.
          history.replaceState(null, '', location.pathname + location.search);
          void signOut();
        }}
        {...said({ key: 'settings.signOut' })}
      >
        {t('settings.signOut')}
      </button>
    </section>
  );
}

export function Settings(props: { userId: number; onHome(): void }) {
  return (
    <main class="screen settings" data-testid="settings">
      <h1 {...said({ key: 'settings.title' })}>{t('settings.title')}</h1>
      <ReadAloud />
      <LanguageTextVoice />
      <ChangePin />
      <FamilyHelpers userId={props.userId} />
      <StorageStatus />
      <SignOutButton userId={props.userId} />
      <button class="primary" type="button" onClick={() => props.onHome()} {...said({ key: 'nav.home' })}>
        {t('nav.home')}
      </button>
    </main>
  );
}
