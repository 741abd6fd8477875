// The activation letters, printable: two per A4 sheet with a cut line between, in large clear type
// (the letter is read by an 80-year-old). The codes live only in this page's memory, from the answer
// that made them: never stored in the browser, never in the URL (decision 058).
import { createSignal, For, onMount, Show } from 'solid-js';
import { activationQrModules, qrPath } from './activation-qr-image.ts';
import { localDateIn } from '../../shared/dates.ts';
import type { IssuedLetters, Letter } from '../../shared/schemas/office-setup.ts';
import { formatDate } from '../i18n/index.ts';
import { st } from './setup-text.ts';

/** Letters per A4 sheet (decision 058: large type over paper). */
export const LETTERS_PER_SHEET = 2;

const [issued, setIssued] = createSignal<IssuedLetters | null>(null);
export const setIssuedLetters = setIssued;

function sheets(letters: Letter[]): Letter[][] {
  const out: Letter[][] = [];
  for (let i = 0; i < letters.length; i += LETTERS_PER_SHEET) out.push(letters.slice(i, i + LETTERS_PER_SHEET));
  return out;
}

/** The code in groups of four, as it is read out and typed: 2026 0301. */
const grouped = (code: string) => `${code.slice(0, 4)} ${code.slice(4)}`;

export function ActivationLetters(props: { back: string }) {
  // The print page replaces the letters form in place: it starts at its top, with the notice.
  onMount(() => window.scrollTo(0, 0));
  return (
    <div class="o-page o-print-page" data-testid="setup-print">
      <Show
        when={issued()}
        fallback={
          <div class="o-card">
            <p data-testid="setup-print-gone">{st('o.setup.print.gone')}</p>
            <a class="o-button o-link-button" href={props.back}>
              {st('o.setup.print.back')}
            </a>
          </div>
        }
      >
        {(i) => (
          <>
            <div class="o-print-toolbar">
              <h1>{st('o.setup.print.title', { n: i().letters.length })}</h1>
              <p class="o-notice" data-testid="setup-print-once">
                {st('o.setup.print.once')}
              </p>
              <p>{st('o.setup.print.perSheet', { n: LETTERS_PER_SHEET })}</p>
              <div class="o-decide-row">
                <button type="button" class="o-button o-primary" onClick={() => window.print()} data-testid="setup-print-button">
                  {st('o.setup.print.print')}
                </button>
                <a class="o-button o-link-button" href={props.back}>
                  {st('o.setup.print.back')}
                </a>
              </div>
            </div>
            <div class="o-sheets">
              <For each={sheets(i().letters)}>
                {(sheet) => (
                  <section class="o-sheet" data-testid="setup-sheet">
                    <For each={sheet}>{(l, n) => <LetterView letter={l} cut={n() < sheet.length - 1} />}</For>
                  </section>
                )}
              </For>
            </div>
          </>
        )}
      </Show>
    </div>
  );
}

/** The letter's QR code (activation-qr-image.ts), drawn as crisp SVG modules for print. */
function LetterQr(props: { payload: string }) {
  const modules = activationQrModules(props.payload);
  return (
    <figure class="o-letter-qr" data-testid="setup-letter-qr" data-payload={props.payload}>
      <svg viewBox={`0 0 ${modules.length} ${modules.length}`} role="img" aria-label={st('o.setup.letter.qrLabel')} shape-rendering="crispEdges">
        <rect width={modules.length} height={modules.length} fill="#fff" />
        <path d={qrPath(modules)} fill="#000" />
      </svg>
      <figcaption>{st('o.setup.letter.qr')}</figcaption>
    </figure>
  );
}

function LetterView(props: { letter: Letter; cut: boolean }) {
  const l = props.letter;
  return (
    <>
      <article class="o-letter" data-testid="setup-letter" data-retiree={l.retireeId}>
        <h2 class="o-letter-heading">{st('o.setup.letter.heading')}</h2>
        <p class="o-letter-name">{st('o.setup.letter.greeting', { name: l.name })}</p>
        <div class="o-letter-body">
          <dl class="o-letter-facts">
            <dt>{st('o.setup.letter.id')}</dt>
            <dd class="o-mono">{l.maskedIdNumber}</dd>
            <dt>{st('o.setup.letter.community')}</dt>
            <dd>{l.community}</dd>
          </dl>
          <div class="o-letter-code">
            <p class="o-letter-code-label">{st('o.setup.letter.code')}</p>
            <p class="o-letter-code-value o-mono" data-testid="setup-letter-code" data-code={l.code}>
              {grouped(l.code)}
            </p>
            <p>{st('o.setup.letter.expires', { date: formatDate(localDateIn('Asia/Shanghai', l.expiresAt)) })}</p>
          </div>
        </div>
        <div class="o-letter-howto" classList={{ 'no-qr': !l.qr }}>
          <div>
            <ol class="o-letter-steps">
              <li>{st('o.setup.letter.step1', { url: location.origin })}</li>
              <li>{st('o.setup.letter.step2')}</li>
              <li>{st('o.setup.letter.step3')}</li>
            </ol>
            <p class="o-letter-noscan">{st('o.setup.letter.noScan')}</p>
          </div>
          <Show when={l.qr}>{(qr) => <LetterQr payload={qr()} />}</Show>
        </div>
        <Show when={l.reactivation}>
          <p class="o-letter-note">{st('o.setup.letter.reactivation')}</p>
        </Show>
        <Show when={l.phone}>
          <p class="o-letter-phone">{st('o.setup.letter.phone', { phone: l.phone! })}</p>
        </Show>
      </article>
      <Show when={props.cut}>
        <p class="o-cut" aria-hidden="true">
          ✂ {st('o.setup.letter.cut')}
        </p>
      </Show>
    </>
  );
}
