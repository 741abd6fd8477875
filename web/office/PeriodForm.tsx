// One period's dates with what is wrong said next to the field: the shared rules as the clerk types
// (shared/certification-rules.ts periodIssues), then the server's answer by field and code. Changing
// a period whose deadline has passed needs an inline "yes" (decision 058).
import { createMemo, createSignal, For, Show } from 'solid-js';
import { periodIssues, type PeriodField } from '../../shared/certification-rules.ts';
import { isValidDate } from '../../shared/dates.ts';
import { SETUP, type PeriodIssueDetail } from '../../shared/schemas/office-setup.ts';
import { ApiError, call } from '../api/client.ts';
import { errorText } from '../error-text.ts';
import { periodIssueText, st, type SetupKey } from './setup-text.ts';

export interface PeriodDraft {
  isNew: boolean;
  year: number;
  selfStart: string;
  selfEnd: string;
  onsiteStart: string;
  onsiteEnd: string;
  deadline: string;
  suspensionDate: string;
}

type DateField = Exclude<PeriodField, 'year'>;
const FIELDS: { field: DateField; label: SetupKey }[] = [
  { field: 'selfStart', label: 'o.setup.periods.selfStart' },
  { field: 'selfEnd', label: 'o.setup.periods.selfEnd' },
  { field: 'onsiteStart', label: 'o.setup.periods.onsiteStart' },
  { field: 'onsiteEnd', label: 'o.setup.periods.onsiteEnd' },
  { field: 'deadline', label: 'o.setup.periods.deadline' },
  { field: 'suspensionDate', label: 'o.setup.periods.suspension' },
];

export function PeriodForm(props: { draft: PeriodDraft; regionCode: string; today: string; onSaved: (year: number) => void; onCancel: () => void }) {
  const [values, setValues] = createSignal({ ...props.draft });
  const [touched, setTouched] = createSignal(new Set<PeriodField>());
  const [server, setServer] = createSignal<PeriodIssueDetail[]>([]);
  const [needsConfirm, setNeedsConfirm] = createSignal(false);
  const [confirmed, setConfirmed] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [failure, setFailure] = createSignal<string | null>(null);
  const [tried, setTried] = createSignal(false);

  // The shared rules, once every date is a real date; a field that is not one says so itself.
  const local = createMemo((): PeriodIssueDetail[] => {
    const v = values();
    const bad = FIELDS.filter((f) => !isValidDate(v[f.field])).map((f): PeriodIssueDetail => ({ path: f.field, code: 'invalid_date', message: '' }));
    if (bad.length) return bad;
    return periodIssues(v).map((i) => ({ path: i.field, code: i.code, message: i.message }));
  });
  const shown = (field: PeriodField) => [
    ...local().filter((i) => i.path === field && (tried() || touched().has(field) || (i.code !== 'invalid_date' && touched().size > 0))),
    ...server().filter((i) => i.path === field && i.code !== 'deadline_passed'),
  ];
  const set = (field: PeriodField, value: string | number) => {
    setValues((v) => ({ ...v, [field]: value }));
    setTouched((s) => new Set(s).add(field));
    setServer([]);
    setFailure(null);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    if (local().length) {
      setFailure(st('o.setup.periods.fix'));
      return;
    }
    setBusy(true);
    setFailure(null);
    const { isNew: _isNew, year, ...dates } = values();
    try {
      await call(SETUP.setPeriod, { params: { code: props.regionCode, year }, json: { ...dates, ...(confirmed() ? { confirmPast: true } : {}) } });
      props.onSaved(year);
    } catch (err) {
      const issues = err instanceof ApiError && Array.isArray(err.details.issues) ? (err.details.issues as PeriodIssueDetail[]) : [];
      setServer(issues);
      if (issues.some((i) => i.code === 'deadline_passed')) setNeedsConfirm(true);
      else setFailure(issues.length ? st('o.setup.periods.fix') : errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const heading = () => (props.draft.isNew ? st('o.setup.periods.formNew') : st('o.setup.periods.formEdit', { year: props.draft.year }));
  const fieldError = (field: PeriodField) => (
    <For each={shown(field)}>
      {(i) => (
        <p class="o-field-error" id={`o-period-${field}-error`} data-testid={`setup-period-error-${field}`}>
          {periodIssueText(i)}
        </p>
      )}
    </For>
  );

  return (
    <form class="o-period-form" aria-labelledby="o-period-form-title" onSubmit={save} novalidate data-testid="setup-period-form">
      <h3 id="o-period-form-title">{heading()}</h3>
      <p class="o-muted">{st('o.setup.periods.hint')}</p>
      <div class="o-form-grid">
        <div class="o-form-field">
          <label for="o-period-year">{st('o.setup.periods.year')}</label>
          <input
            id="o-period-year"
            type="number"
            min="2000"
            max="2100"
            value={values().year}
            readOnly={!props.draft.isNew}
            aria-invalid={shown('year').length > 0}
            aria-describedby={shown('year').length ? 'o-period-year-error' : undefined}
            onInput={(e) => set('year', Number(e.currentTarget.value))}
          />
          {fieldError('year')}
        </div>
        <For each={FIELDS}>
          {(f) => (
            <div class="o-form-field">
              <label for={`o-period-${f.field}`}>{st(f.label)}</label>
              <input
                id={`o-period-${f.field}`}
                type="date"
                value={values()[f.field]}
                aria-invalid={shown(f.field).length > 0}
                aria-describedby={shown(f.field).length ? `o-period-${f.field}-error` : undefined}
                data-testid={`setup-period-${f.field}`}
                onInput={(e) => set(f.field, e.currentTarget.value)}
              />
              {fieldError(f.field)}
            </div>
          )}
        </For>
      </div>
      <Show when={needsConfirm()}>
        <div class="o-confirm" data-testid="setup-period-confirm">
          <p>{st('o.setup.period.deadline_passed')}</p>
          <label class="o-check">
            <input type="checkbox" checked={confirmed()} onChange={(e) => setConfirmed(e.currentTarget.checked)} data-testid="setup-period-confirm-box" />
            {st('o.setup.periods.confirmPast')}
          </label>
        </div>
      </Show>
      <Show when={failure()}>
        {(f) => (
          <p class="o-alert" role="alert" data-testid="setup-period-failure">
            {f()}
          </p>
        )}
      </Show>
      <div class="o-decide-row">
        <button type="submit" class="o-button o-primary" disabled={busy() || (needsConfirm() && !confirmed())} data-testid="setup-period-save">
          {st('o.setup.periods.save')}
        </button>
        <button type="button" class="o-button" onClick={() => props.onCancel()}>
          {st('o.setup.periods.cancel')}
        </button>
      </div>
    </form>
  );
}
