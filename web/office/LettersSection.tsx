// Choosing who gets an activation letter: a community (only those not yet activated, or everyone),
// or one retiree by ID number. The count comes first, with what a new code replaces; a yes is asked
// for inline when it replaces a PIN or a code not yet used. The codes then open the print page.
import { createMemo, createResource, createSignal, For, Show } from 'solid-js';
import { parseIdNumber } from '../../shared/id-number.ts';
import { SETUP, type SetupRegions } from '../../shared/schemas/office-setup.ts';
import { ApiError, call } from '../api/client.ts';
import { errorText } from '../error-text.ts';
import { setIssuedLetters } from './ActivationLetters.tsx';
import { formatCount } from './format.ts';
import { st } from './setup-text.ts';

type Region = SetupRegions['regions'][number];

export function LettersSection(props: { region: Region; openPrint: () => void }) {
  const [mode, setMode] = createSignal<'community' | 'id'>('community');
  const [communityId, setCommunityId] = createSignal<number | null>(props.region.communities[0]?.id ?? null);
  const [scope, setScope] = createSignal<'not_activated' | 'all'>('not_activated');
  const [idNumber, setIdNumber] = createSignal('');
  const [confirmed, setConfirmed] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [failure, setFailure] = createSignal<string | null>(null);

  const selection = () => {
    if (mode() === 'id') {
      const id = parseIdNumber(idNumber());
      return id.ok ? { region: props.region.code, idNumber: id.value.normalized } : null;
    }
    return { region: props.region.code, scope: scope(), ...(communityId() ? { communityId: communityId()! } : {}) };
  };
  // Counted again only when the selection itself changes, not at every keystroke that leaves it as it was.
  const chosen = createMemo(selection, null, { equals: (a, b) => JSON.stringify(a) === JSON.stringify(b) });
  const [count] = createResource(chosen, (json) => (setConfirmed(false), call(SETUP.letterCount, { json })));
  const replaces = () => (count()?.activated ?? 0) + (count()?.withOpenCode ?? 0) > 0;

  const issue = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const issued = await call(SETUP.issueLetters, { json: { ...selection(), ...(confirmed() ? { confirmReplace: true } : {}) } });
      setIssuedLetters(issued);
      props.openPrint();
    } catch (err) {
      setFailure(err instanceof ApiError && typeof err.details.maxLetters === 'number' ? st('o.setup.letters.tooMany', { n: err.details.maxLetters }) : errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="o-card" aria-labelledby="o-letters-title" data-testid="setup-letters">
      <h2 id="o-letters-title">{st('o.setup.letters.title')}</h2>
      <p>{st('o.setup.letters.intro')}</p>
      <fieldset class="o-fieldset">
        <legend>{st('o.setup.letters.who')}</legend>
        <label class="o-check">
          <input type="radio" name="o-letters-mode" checked={mode() === 'community'} onChange={() => setMode('community')} data-testid="setup-letters-by-community" />
          {st('o.setup.letters.byCommunity')}
        </label>
        <label class="o-check">
          <input type="radio" name="o-letters-mode" checked={mode() === 'id'} onChange={() => setMode('id')} data-testid="setup-letters-by-id" />
          {st('o.setup.letters.byId')}
        </label>
      </fieldset>
      <Show
        when={mode() === 'community'}
        fallback={
          <div class="o-form-field">
            <label for="o-letters-id">{st('o.setup.letters.idNumber')}</label>
            <input id="o-letters-id" class="o-text" inputmode="text" autocomplete="off" value={idNumber()} onInput={(e) => setIdNumber(e.currentTarget.value.trim())} data-testid="setup-letters-id" />
          </div>
        }
      >
        <div class="o-form-grid">
          <div class="o-form-field">
            <label for="o-letters-community">{st('o.setup.letters.community')}</label>
            <select id="o-letters-community" value={communityId() ?? ''} onChange={(e) => setCommunityId(e.currentTarget.value ? Number(e.currentTarget.value) : null)} data-testid="setup-letters-community">
              <option value="">{st('o.setup.letters.allCommunities')}</option>
              <For each={props.region.communities}>{(c) => <option value={c.id}>{st('o.setup.letters.communityOption', { name: c.name, n: c.notActivated })}</option>}</For>
            </select>
          </div>
          <fieldset class="o-fieldset">
            <legend>{st('o.setup.letters.scope')}</legend>
            <label class="o-check">
              <input type="radio" name="o-letters-scope" checked={scope() === 'not_activated'} onChange={() => setScope('not_activated')} />
              {st('o.setup.letters.scopeNotActivated')}
            </label>
            <label class="o-check">
              <input type="radio" name="o-letters-scope" checked={scope() === 'all'} onChange={() => setScope('all')} data-testid="setup-letters-scope-all" />
              {st('o.setup.letters.scopeAll')}
            </label>
          </fieldset>
        </div>
      </Show>

      <Show when={count()}>
        {(c) => (
          <div role="status" data-testid="setup-letters-count" data-value={c().count}>
            <p class="o-strong">{c().count ? st('o.setup.letters.count', { n: formatCount(c().count) }) : st('o.setup.letters.countNone')}</p>
            <Show when={replaces()}>
              <div class="o-confirm">
                <p>{st('o.setup.letters.replaceWarn', { activated: c().activated, open: c().withOpenCode })}</p>
                <label class="o-check">
                  <input type="checkbox" checked={confirmed()} onChange={(e) => setConfirmed(e.currentTarget.checked)} data-testid="setup-letters-confirm" />
                  {st('o.setup.letters.confirmReplace')}
                </label>
              </div>
            </Show>
          </div>
        )}
      </Show>
      <Show when={failure() ?? (count.error ? errorText(count.error) : null)}>
        {(f) => (
          <p class="o-alert" role="alert">
            {f()}
          </p>
        )}
      </Show>
      <p>
        <button
          type="button"
          class="o-button o-primary"
          disabled={busy() || !count()?.count || (replaces() && !confirmed())}
          onClick={() => void issue()}
          data-testid="setup-letters-issue"
        >
          {busy() ? st('o.setup.letters.issuing') : st('o.setup.letters.issue')}
        </button>
      </p>
    </section>
  );
}
