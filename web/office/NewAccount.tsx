// A new worker or office account (POST /api/office/people). The server makes the first password
// and answers it once; it is shown here until the clerk closes it, and never again.
import { createSignal, For, Show } from 'solid-js';
import { PEOPLE, type PeopleOptions, type PersonWithPassword } from '../../shared/schemas/office-people.ts';
import { ApiError, call } from '../api/client.ts';
import { errorText } from '../error-text.ts';
import { me } from '../session.ts';
import { pt } from './people-text.ts';

export function PasswordOnce(props: { title: string; password: string; dismiss(): void }) {
  return (
    <div class="o-password" role="status" data-testid="password-once">
      <p>{props.title}</p>
      <p class="o-password-value o-mono" data-testid="password-value">{props.password}</p>
      <p class="o-muted">{pt('o.people.password.hint')}</p>
      <button type="button" class="o-button" onClick={() => props.dismiss()}>
        {pt('o.people.password.dismiss')}
      </button>
    </div>
  );
}

export function NewAccount(props: { options: PeopleOptions | null; created(): void }) {
  const [open, setOpen] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  const [done, setDone] = createSignal<PersonWithPassword | null>(null);
  // An office without a region chooses the region of the account; any other uses its own.
  const choosesRegion = () => !me()?.region;

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const value = (k: string) => String(form.get(k) ?? '').trim();
    setBusy(true);
    setError('');
    try {
      const body = await call(PEOPLE.create, {
        json: { role: value('role') === 'admin' ? 'admin' : 'worker', username: value('username'), displayName: value('displayName'), phone: value('phone'), ...(choosesRegion() && value('regionCode') ? { regionCode: value('regionCode') } : {}) },
      });
      setDone(body);
      setOpen(false);
      props.created();
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'conflict' ? pt('o.people.new.taken') : errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="o-new-account">
      <Show when={!open()}>
        <button type="button" class="o-button o-primary" data-testid="new-account" onClick={() => { setDone(null); setOpen(true); }}>
          {pt('o.people.new')}
        </button>
      </Show>
      <Show when={done()}>
        {(d) => (
          <div class="o-card">
            <p class="o-ok">{pt('o.people.new.done', { name: d().person.displayName, username: d().person.username })}</p>
            <PasswordOnce title={pt('o.people.password.once')} password={d().password} dismiss={() => setDone(null)} />
          </div>
        )}
      </Show>
      <Show when={open()}>
        <form class="o-card o-form" aria-labelledby="o-new-account-title" onSubmit={(e) => void submit(e)} data-testid="new-account-form">
          <h2 id="o-new-account-title">{pt('o.people.new.title')}</h2>
          <label class="o-field">
            <span class="o-field-label">{pt('o.people.new.role')}</span>
            <select class="o-select" name="role">
              <option value="worker">{pt('o.people.role.worker')}</option>
              <option value="admin">{pt('o.people.role.admin')}</option>
            </select>
          </label>
          <label class="o-field">
            <span class="o-field-label">{pt('o.people.new.username')}</span>
            <input class="o-input" name="username" required autocomplete="off" spellcheck={false} />
          </label>
          <label class="o-field">
            <span class="o-field-label">{pt('o.people.new.name')}</span>
            <input class="o-input" name="displayName" required autocomplete="off" />
          </label>
          <label class="o-field">
            <span class="o-field-label">{pt('o.people.new.phone')}</span>
            <input class="o-input" name="phone" type="tel" autocomplete="off" />
          </label>
          <Show when={choosesRegion()}>
            <label class="o-field">
              <span class="o-field-label">{pt('o.people.new.region')}</span>
              <select class="o-select" name="regionCode">
                <For each={props.options?.regions ?? []}>{(r) => <option value={r.code}>{r.name}</option>}</For>
              </select>
            </label>
          </Show>
          <p class="o-muted">{pt('o.people.new.passwordNote')}</p>
          <Show when={error()}>
            <p class="o-alert" role="alert">{error()}</p>
          </Show>
          <div class="o-decide-row">
            <button type="submit" class="o-button o-primary" disabled={busy()} data-testid="create-account">{pt('o.people.new.create')}</button>
            <button type="button" class="o-button" onClick={() => setOpen(false)}>{pt('o.people.new.cancel')}</button>
          </div>
        </form>
      </Show>
    </div>
  );
}
