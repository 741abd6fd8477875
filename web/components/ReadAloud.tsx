// 读给我听 / "Read it to me" (decision 093): reads aloud everything the screen shows, top to bottom.
// Each shown text is marked with the catalog key and values it was rendered from (said.ts); the
// button collects those visible on its screen, in document order, and gives them to the voice,
// which says them with the device voice or the bundled clips (dates, years and counts included,
// web/voice/spoken-values.ts). Pressing it again stops; leaving the screen stops.
import { createSignal, onCleanup } from 'solid-js';
import { t } from '../i18n/index.ts';
import { lineText, readLines, said, type Line } from './said.ts';
import { voice } from './speech.ts';
import './read-aloud.css';

/** A line as text, marked to be read. */
export function Said(props: Line) {
  return <span {...said(props)}>{lineText(props)}</span>;
}

/** The button, at the top of its screen: reads the screen it is on (its <main>). */
export function ReadAloud() {
  let button!: HTMLButtonElement;
  const [reading, setReading] = createSignal(false);
  let run = 0;
  async function press() {
    const mine = ++run;
    if (reading()) {
      voice.stop();
      setReading(false);
      return;
    }
    setReading(true);
    const lines = readLines(button.closest('main') ?? document.body);
    await voice.read(lines.map((l) => ({ id: l.key, vars: { values: l.values ?? {} } })));
    if (mine === run) setReading(false);
  }
  onCleanup(() => {
    run++;
    if (reading()) voice.stop();
  });
  return (
    <button ref={button} class="secondary read-aloud" type="button" data-testid="read-aloud" aria-pressed={reading()} onClick={() => void press()}>
      {reading() ? t('read.stop') : t('read.aloud')}
    </button>
  );
}
