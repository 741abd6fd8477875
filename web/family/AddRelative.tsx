// "添加老人" (issue 19): the retiree's ID number and name and the relation. It sends a request, never
// a link; the answer is the same whoever the ID number belongs to, so the screen says only that the
// request went out (decision 070). Needs the network: a request is checked by the server at once.
import { createSignal, For, Show } from 'solid-js';
import * as v from 'valibot';
import { parseIdNumber } from '../../shared/id-number.ts';
import { FAMILY, personName, RELATIONS, type Relation } from '../../shared/schemas/family.ts';
import { ApiError, call } from '../api/client.ts';
import { sendNow } from '../data/index.ts';
import { t } from '../i18n/index.ts';

export function AddRelative(props: { onSent(): void; onCancel(): void }) {
  const [idNumber, setIdNumber] = createSignal('');
  const [name, setName] = createSignal('');
  const [relation, setRelation] = createSignal<Relation | null>(null);
  const [problem, setProblem] = createSignal<{ field: 'id' | 'name' | 'relation' | 'form'; text: string } | null>(null);
  const [busy, setBusy] = createSignal(false);

  async function submit(e: Event) {
    e.preventDefault();
    const id = idNumber().replace(/\s/g, '').toUpperCase();
    if (!parseIdNumber(id).ok) return setProblem({ field: 'id', text: t('fam.err.idNumber') });
    if (!v.safeParse(personName, name()).success) return setProblem({ field: 'name', text: t('fam.err.name') });
    const rel = relation();
    if (!rel) return setProblem({ field: 'relation', text: t('fam.err.relation') });
    setProblem(null);
    setBusy(true);
    try {
      await call(FAMILY.request, { json: { idNumber: id, name: name().trim(), relation: rel } });
      // The next pull brings the request into "我的申请".
      void sendNow();
      props.onSent();
    } catch (err) {
      const reason = err instanceof ApiError ? err.details.reason : null;
      const text =
        err instanceof ApiError && err.code === 'network' ? t('fam.needsNetwork')
        : reason === 'open_requests' ? t('fam.err.openRequests')
        : reason === 'requests_today' ? t('fam.err.requestsToday')
        : t('fam.err.server');
      setProblem({ field: 'form', text });
    } finally {
      setBusy(false);
    }
  }

  const note = (field: 'id' | 'name' | 'relation') => (problem()?.field === field ? problem()!.text : '');

  return (
    <main class="screen family-add" data-testid="family-add-screen">
      <h1>{t('fam.add.title')}</h1>
      <p>{t('fam.add.intro')}</p>
      <form onSubmit={submit} novalidate>
        <label for="add-id">{t('fam.add.idNumber')}</label>
        <input id="add-id" name="idNumber" autocomplete="off" spellcheck={false} maxLength={22} value={idNumber()} aria-invalid={note('id') ? 'true' : undefined} aria-describedby="add-id-note" onInput={(e) => setIdNumber(e.currentTarget.value)} />
        <p id="add-id-note" class="hint error" role={note('id') ? 'alert' : undefined}>{note('id')}</p>
        <label for="add-name">{t('fam.add.name')}</label>
        <input id="add-name" name="name" autocomplete="off" value={name()} aria-invalid={note('name') ? 'true' : undefined} aria-describedby="add-name-note" onInput={(e) => setName(e.currentTarget.value)} />
        <p id="add-name-note" class="hint error" role={note('name') ? 'alert' : undefined}>{note('name')}</p>
        <fieldset class="choice" data-testid="add-relation">
          <legend>{t('fam.add.relation')}</legend>
          <div class="choice-row">
            <For each={RELATIONS}>
              {(r) => (
                <button type="button" class="choice-button" aria-pressed={relation() === r} onClick={() => setRelation(r)}>
                  {t(`fam.rel.${r}`)}
                </button>
              )}
            </For>
          </div>
        </fieldset>
        <Show when={note('relation') || problem()?.field === 'form'}>
          <p class="error" role="alert">{problem()!.text}</p>
        </Show>
        <button class="primary" type="submit" disabled={busy()} data-testid="add-submit">
          {t('fam.add.submit')}
        </button>
      </form>
      <button class="secondary" type="button" onClick={() => props.onCancel()}>
        {t('fam.add.cancel')}
      </button>
    </main>
  );
}
