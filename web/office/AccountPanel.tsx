// One account, chosen on the People screen: a worker's communities (assign / remove), disabling or
// enabling it, a new password. Each change asks for an inline confirmation where it undoes
// something, then answers with the account as it is now.
import { createSignal, For, Show } from 'solid-js';
import { PEOPLE, type Person, type PersonCommunity } from '../../shared/schemas/office-people.ts';
import { call } from '../api/client.ts';
import { errorText } from '../error-text.ts';
import { PasswordOnce } from './NewAccount.tsx';
import { pt } from './people-text.ts';

type Confirming = { kind: 'disable' } | { kind: 'reset' } | { kind: 'unassign'; community: PersonCommunity } | null;

export function AccountPanel(props: { person: Person; communities: PersonCommunity[]; updated(p: Person): void; close(): void }) {
  const [confirming, setConfirming] = createSignal<Confirming>(null);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  const [said, setSaid] = createSignal('');
  const [password, setPassword] = createSignal<string | null>(null);
  const [communityId, setCommunityId] = createSignal('');
  const p = () => props.person;
  const id = () => ({ id: p().id });
  const unassigned = () => props.communities.filter((c) => !p().communities.some((x) => x.id === c.id));

  async function act(run: () => Promise<Person>, message: (p: Person) => string) {
    setBusy(true);
    setError('');
    try {
      const person = await run();
      props.updated(person);
      setSaid(message(person));
      setConfirming(null);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const Confirm = (c: { text: string; yes: string; run(): void }) => (
    <div class="o-confirm" role="group" aria-label={c.text}>
      <p>{c.text}</p>
      <div class="o-decide-row">
        <button type="button" class="o-button o-danger" disabled={busy()} data-testid="confirm-yes" onClick={() => c.run()}>{c.yes}</button>
        <button type="button" class="o-button" onClick={() => setConfirming(null)}>{pt('o.people.panel.no')}</button>
      </div>
    </div>
  );

  return (
    <section class="o-card o-account-panel" aria-labelledby="o-account-title" data-testid="account-panel">
      <div class="o-title-row">
        <h2 id="o-account-title">{pt('o.people.panel.title', { name: p().displayName })}</h2>
        <button type="button" class="o-button" onClick={() => props.close()}>{pt('o.people.panel.close')}</button>
      </div>
      <p role="status" class="o-ok" data-testid="panel-said">{said()}</p>
      <Show when={error()}>
        <p class="o-alert" role="alert">{error()}</p>
      </Show>

      <Show when={p().role === 'worker'}>
        <h3>{pt('o.people.panel.communities')}</h3>
        <Show when={p().communities.length} fallback={<p>{pt('o.people.panel.noCommunities')}</p>}>
          <ul class="o-plain-list">
            <For each={p().communities}>
              {(c) => (
                <li>
                  <span>{c.name}</span>{' '}
                  <button type="button" class="o-link" aria-label={pt('o.people.panel.unassign', { name: c.name })} onClick={() => setConfirming({ kind: 'unassign', community: c })}>
                    {pt('o.people.panel.unassignButton')}
                  </button>
                  <Show when={(() => { const x = confirming(); return x?.kind === 'unassign' && x.community.id === c.id; })()}>
                    <Confirm
                      text={pt('o.people.panel.unassignConfirm', { name: c.name })}
                      yes={pt('o.people.panel.unassignYes')}
                      run={() => void act(() => call(PEOPLE.unassign, { params: { ...id(), community: c.id } }), (x) => pt('o.people.panel.unassignedNow', { name: x.displayName, community: c.name }))}
                    />
                  </Show>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <Show when={unassigned().length}>
          <form
            class="o-decide-row"
            onSubmit={(e) => {
              e.preventDefault();
              const community = props.communities.find((c) => String(c.id) === communityId()) ?? unassigned()[0]!;
              void act(() => call(PEOPLE.assign, { params: id(), json: { communityId: community.id } }), (x) => pt('o.people.panel.assignedNow', { name: x.displayName, community: community.name }));
            }}
          >
            <label class="o-inline-field">
              {pt('o.people.panel.assign')}
              <select class="o-select" data-testid="assign-community" value={communityId()} onChange={(e) => setCommunityId(e.currentTarget.value)}>
                <For each={unassigned()}>{(c) => <option value={c.id}>{c.name}</option>}</For>
              </select>
            </label>
            <button type="submit" class="o-button o-primary" disabled={busy()} data-testid="assign">{pt('o.people.panel.assignButton')}</button>
          </form>
        </Show>
      </Show>
      <Show when={p().role === 'family'}>
        <p>{pt('o.people.panel.familyNote')}</p>
      </Show>

      <h3>{pt('o.people.panel.account')}</h3>
      <Show when={!p().self} fallback={<p>{pt('o.people.panel.selfNote')}</p>}>
        <div class="o-decide-row">
          <Show
            when={!p().disabled}
            fallback={
              <button type="button" class="o-button" disabled={busy()} data-testid="enable" onClick={() => void act(() => call(PEOPLE.enable, { params: id() }), (x) => pt('o.people.panel.enabledNow', { name: x.displayName }))}>
                {pt('o.people.panel.enable')}
              </button>
            }
          >
            <button type="button" class="o-button o-danger" data-testid="disable" onClick={() => setConfirming({ kind: 'disable' })}>{pt('o.people.panel.disable')}</button>
          </Show>
          <button type="button" class="o-button" data-testid="reset-password" onClick={() => setConfirming({ kind: 'reset' })}>{pt('o.people.panel.reset')}</button>
        </div>
        <Show when={confirming()?.kind === 'disable'}>
          <Confirm text={pt('o.people.panel.disableConfirm', { name: p().displayName })} yes={pt('o.people.panel.disableYes')} run={() => void act(() => call(PEOPLE.disable, { params: id() }), (x) => pt('o.people.panel.disabledNow', { name: x.displayName }))} />
        </Show>
        <Show when={confirming()?.kind === 'reset'}>
          <Confirm
            text={pt('o.people.panel.resetConfirm', { name: p().displayName })}
            yes={pt('o.people.panel.resetYes')}
            run={() =>
              void act(async () => {
                const body = await call(PEOPLE.resetPassword, { params: id() });
                setPassword(body.password);
                return body.person;
              }, () => '')
            }
          />
        </Show>
        <Show when={password()}>
          {(pw) => <PasswordOnce title={pt('o.people.password.new', { name: p().displayName })} password={pw()} dismiss={() => setPassword(null)} />}
        </Show>
      </Show>
    </section>
  );
}
