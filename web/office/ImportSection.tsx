// The retiree import: a CSV or XLSX chosen in the browser is checked on the server (a preview that
// writes nothing: who would be added or updated, every bad row), then applied. The apply sends the
// same file again with the preview's planHash, so it applies what the clerk saw or is refused
// (decision 058); the same file twice applies once.
import { createSignal, For, Show } from 'solid-js';
import { IMPORT_FIELDS, SETUP, type ImportApplied, type ImportPreview, type SetupRegions } from '../../shared/schemas/office-setup.ts';
import { formatCount } from './format.ts';
import { columnName, fileErrorText, rowProblemText, st } from './setup-text.ts';
import { upload } from '../api/client.ts';
import { t } from '../i18n/index.ts';

type Region = SetupRegions['regions'][number];

export function ImportSection(props: { region: Region; onApplied: () => void }) {
  const [file, setFile] = createSignal<File | null>(null);
  const [preview, setPreview] = createSignal<ImportPreview | null>(null);
  const [applied, setApplied] = createSignal<ImportApplied | null>(null);
  const [busy, setBusy] = createSignal<'check' | 'apply' | null>(null);
  const [failure, setFailure] = createSignal<string | null>(null);
  const query = (extra: Record<string, string> = {}) => new URLSearchParams({ region: props.region.code, ...extra }).toString();

  const check = async () => {
    const f = file();
    if (!f) return;
    setBusy('check');
    setFailure(null);
    setApplied(null);
    setPreview(null);
    try {
      setPreview(await upload(SETUP.previewImport, f, { query: query() }));
    } catch (err) {
      setFailure(fileErrorText(err));
    } finally {
      setBusy(null);
    }
  };

  const apply = async () => {
    const f = file();
    const p = preview();
    if (!f || !p) return;
    setBusy('apply');
    setFailure(null);
    try {
      setApplied(await upload(SETUP.applyImport, f, { query: query({ plan: p.planHash }) }));
      setPreview(null);
      props.onApplied();
    } catch (err) {
      setFailure(fileErrorText(err));
    } finally {
      setBusy(null);
    }
  };

  const toChange = () => (preview() ? preview()!.counts.added + preview()!.counts.updated : 0);

  return (
    <section class="o-card" aria-labelledby="o-import-title" data-testid="setup-import">
      <h2 id="o-import-title">{st('o.setup.import.title')}</h2>
      <p>{st('o.setup.import.intro')}</p>
      <p>
        <a class="o-button o-link-button" href="/api/office/setup/retirees/template.csv" download="" data-testid="setup-import-template">
          {st('o.setup.import.template')}
        </a>
      </p>
      <details class="o-details">
        <summary>{st('o.setup.import.columns')}</summary>
        <dl class="o-facts">
          <For each={IMPORT_FIELDS}>
            {(f) => (
              <>
                <dt>{columnName(f)}</dt>
                <dd>{st(`o.setup.import.colHelp.${f}`)}</dd>
              </>
            )}
          </For>
        </dl>
        <p class="o-muted">{st('o.setup.import.englishHeaders')}</p>
      </details>

      <div class="o-upload-row">
        <label class="o-field-label" for="o-import-file">
          {st('o.setup.import.file')}
        </label>
        <input
          id="o-import-file"
          class="o-file"
          type="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          data-testid="setup-import-file"
          onChange={(e) => {
            setFile(e.currentTarget.files?.[0] ?? null);
            setPreview(null);
            setApplied(null);
            setFailure(null);
          }}
        />
        <button type="button" class="o-button o-primary" disabled={!file() || busy() !== null} onClick={() => void check()} data-testid="setup-import-check">
          {busy() === 'check' ? st('o.setup.import.checking') : st('o.setup.import.check')}
        </button>
      </div>

      <Show when={failure()}>
        {(f) => (
          <p class="o-alert" role="alert" data-testid="setup-import-failure">
            {f()}
          </p>
        )}
      </Show>
      <Show when={applied()}>
        {(a) => (
          <p class="o-ok" role="status" data-testid="setup-import-done">
            {a().counts.added + a().counts.updated === 0
              ? st('o.setup.import.doneAgain')
              : st('o.setup.import.done', { added: formatCount(a().counts.added), updated: formatCount(a().counts.updated), unchanged: formatCount(a().counts.unchanged), errors: formatCount(a().counts.errors) })}
          </p>
        )}
      </Show>

      <Show when={preview()}>
        {(p) => (
          <div class="o-preview" data-testid="setup-import-preview">
            <h3>{st('o.setup.import.result', { file: file()?.name ?? '' })}</h3>
            <dl class="o-tiles o-tiles-small">
              <Count id="rows" label={st('o.setup.import.rows')} value={p().counts.rows} />
              <Count id="added" label={st('o.setup.import.added')} value={p().counts.added} tone="done" />
              <Count id="updated" label={st('o.setup.import.updated')} value={p().counts.updated} tone="due" />
              <Count id="unchanged" label={st('o.setup.import.unchanged')} value={p().counts.unchanged} />
              <Count id="errors" label={st('o.setup.import.errors')} value={p().counts.errors} tone="alert" />
            </dl>

            <Show when={p().errors.length}>
              <h4 class="o-subtitle">{st('o.setup.import.errorsTitle')}</h4>
              <div class="o-table-wrap">
                <table class="o-table o-setup-table" data-testid="setup-import-errors">
                  <thead>
                    <tr>
                      <th scope="col">{st('o.setup.import.row')}</th>
                      <th scope="col">{st('o.setup.import.column')}</th>
                      <th scope="col">{st('o.setup.import.problem')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={p().errors}>
                      {(e) => (
                        <tr data-row={e.row}>
                          <th scope="row">{e.row}</th>
                          <td>{columnName(e.column)}</td>
                          <td class="o-wrap">{rowProblemText(e)}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
              <Show when={p().errors.length < p().counts.errors}>
                <p class="o-muted">{st('o.setup.import.errorsMore', { shown: p().errors.length, n: p().counts.errors })}</p>
              </Show>
            </Show>

            <Show when={p().changes.length}>
              <h4 class="o-subtitle">{st('o.setup.import.changesTitle')}</h4>
              <div class="o-table-wrap">
                <table class="o-table o-setup-table" data-testid="setup-import-changes">
                  <thead>
                    <tr>
                      <th scope="col">{st('o.setup.import.row')}</th>
                      <th scope="col">{columnName('name')}</th>
                      <th scope="col">{columnName('idNumber')}</th>
                      <th scope="col">{st('o.setup.import.action')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={p().changes}>
                      {(c) => (
                        <tr>
                          <th scope="row">{c.row}</th>
                          <td>{c.name}</td>
                          <td class="o-mono">{c.idNumber}</td>
                          <td class="o-wrap">{c.action === 'add' ? st('o.setup.import.add') : st('o.setup.import.update', { fields: c.fields.map(columnName).join(t('o.p.list')) })}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
              <Show when={p().changes.length < toChange()}>
                <p class="o-muted">{st('o.setup.import.changesMore', { shown: p().changes.length, n: toChange() })}</p>
              </Show>
            </Show>

            <Show when={toChange() > 0} fallback={<p class="o-ok">{st('o.setup.import.nothing')}</p>}>
              <p>
                <button type="button" class="o-button o-primary" disabled={busy() !== null} onClick={() => void apply()} data-testid="setup-import-apply">
                  {busy() === 'apply' ? st('o.setup.import.applying') : st('o.setup.import.apply', { n: formatCount(toChange()) })}
                </button>
              </p>
            </Show>
          </div>
        )}
      </Show>
    </section>
  );
}

function Count(props: { id: string; label: string; value: number; tone?: 'done' | 'due' | 'alert' }) {
  return (
    <div class={`o-tile ${props.tone && props.value > 0 ? props.tone : ''}`} data-testid={`setup-import-count-${props.id}`} data-value={props.value}>
      <dt>{props.label}</dt>
      <dd>
        <span class="o-tile-value">{formatCount(props.value)}</span>
      </dd>
    </div>
  );
}
