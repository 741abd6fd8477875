// A sentence with dates in it, each date kept whole on a line: in Chinese a line may break between
// any two characters, so "截止 2026年6月30日" left "日" alone on the next line of the worker's
// roster badge, and "June 30," / "2026" split alike in English. Each date is an inline block
// (styles.css .date-whole), like a phone number: it moves to the next line whole, and only a date
// wider than the whole line breaks inside. A full stop or comma right after it stays with it (a lone
// "。" began a line): when only the date fits, the stop hangs past the line's end, into the padding.
// The dates are named by the caller (the strings formatDate / formatDateTime made), not guessed
// from the words.
import { For } from 'solid-js';
import { wholePieces } from './whole-dates.ts';

export { statusDates, wholePieces } from './whole-dates.ts';

export function Dated(props: { text: string; dates: readonly (string | null | undefined)[] }) {
  return (
    <For each={wholePieces(props.text, props.dates)}>
      {(p) =>
        !p.whole ? (
          p.text
        ) : p.tail ? (
          <span class="date-keep">
            <span class="date-whole">{p.text}</span>
            {p.tail}
          </span>
        ) : (
          <span class="date-whole">{p.text}</span>
        )
      }
    </For>
  );
}
