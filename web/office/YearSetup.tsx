// Year set-up (issue 16, docs/decisions/058): the office's certification periods, the retiree
// import, reference photos and activation letters, one section at a time (`#/setup?section=…`).
// An office of every region chooses the region it works on (`&region=110199`).
import { createResource, For, Match, Show, Switch } from 'solid-js';
import { SETUP } from '../../shared/schemas/office-setup.ts';
import { call } from '../api/client.ts';
import { ActivationLetters } from './ActivationLetters.tsx';
import { ImportSection } from './ImportSection.tsx';
import { LettersSection } from './LettersSection.tsx';
import { ErrorLine } from './Overview.tsx';
import { PeriodsSection } from './PeriodsSection.tsx';
import { PhotosSection } from './PhotosSection.tsx';
import { officeHref } from './route.ts';
import { st } from './setup-text.ts';
import { t } from '../i18n/index.ts';

const SECTIONS = ['periods', 'import', 'photos', 'letters'] as const;
type Section = (typeof SECTIONS)[number] | 'print';

export function YearSetup(props: { params: URLSearchParams; go: (href: string) => void }) {
  const [data, { refetch }] = createResource(() => call(SETUP.regions));
  const section = (): Section => {
    const s = props.params.get('section');
    return s === 'print' || (SECTIONS as readonly string[]).includes(s ?? '') ? (s as Section) : 'periods';
  };
  const region = () => {
    const regions = data()?.regions ?? [];
    return regions.find((r) => r.code === props.params.get('region')) ?? regions[0] ?? null;
  };
  // The region is named in links only when the office has a choice (an office of every region).
  const regionParam = () => ((data()?.regions.length ?? 0) > 1 ? region()?.code : undefined);
  const href = (s: Section) => officeHref('setup', { section: s, region: regionParam() });

  return (
    <Show when={section() !== 'print'} fallback={<ActivationLetters back={href('letters')} />}>
      <div class="o-page" data-testid="office-setup">
        <div class="o-title-row">
          <h1>{st('o.setup.title')}</h1>
          <Show when={(data()?.regions.length ?? 0) > 1}>
            <label class="o-inline-field">
              {st('o.setup.region')}
              <select value={region()?.code ?? ''} onChange={(e) => props.go(officeHref('setup', { section: section(), region: e.currentTarget.value }))}>
                <For each={data()!.regions}>{(r) => <option value={r.code}>{r.name}</option>}</For>
              </select>
            </label>
          </Show>
        </div>
        <nav class="o-subnav" aria-label={st('o.setup.sections')}>
          <For each={SECTIONS}>
            {(s) => (
              <a class="o-tab" href={href(s)} aria-current={section() === s ? 'page' : undefined} data-testid={`setup-nav-${s}`}>
                {st(`o.setup.section.${s}`)}
              </a>
            )}
          </For>
        </nav>
        <Show when={!data.error} fallback={<ErrorLine error={data.error} retry={refetch} />}>
          <Show when={region()} fallback={<p>{t('o.loading')}</p>}>
            {(r) => (
              <Switch>
                <Match when={section() === 'periods'}>
                  <PeriodsSection region={r()} />
                </Match>
                <Match when={section() === 'import'}>
                  <ImportSection region={r()} onApplied={() => void refetch()} />
                </Match>
                <Match when={section() === 'photos'}>
                  <PhotosSection region={r()} />
                </Match>
                <Match when={section() === 'letters'}>
                  <LettersSection region={r()} openPrint={() => props.go(href('print'))} />
                </Match>
              </Switch>
            )}
          </Show>
        </Show>
      </div>
    </Show>
  );
}
