// A large on-screen number pad for people who struggle with the phone's own keyboard: three
// columns of ≥64 px keys, an optional X (the last character of some ID numbers) and delete.
import { For } from 'solid-js';
import { t } from '../i18n/index.ts';

export interface KeypadProps {
  onKey(key: string): void;
  onDelete(): void;
  /** Show the X key (ID numbers). */
  allowX?: boolean;
  disabled?: boolean;
  /** What the pad types into, for screen readers. */
  controls?: string;
}

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

export function Keypad(props: KeypadProps) {
  return (
    <div class="keypad" role="group" aria-label={t('keypad.label')} data-testid="keypad">
      <For each={DIGITS}>
        {(d) => (
          <button type="button" class="key" disabled={props.disabled} aria-controls={props.controls} onClick={() => props.onKey(d)}>
            {d}
          </button>
        )}
      </For>
      {props.allowX ? (
        <button type="button" class="key" disabled={props.disabled} aria-controls={props.controls} onClick={() => props.onKey('X')}>
          X
        </button>
      ) : (
        <span class="key-gap" aria-hidden="true" />
      )}
      <button type="button" class="key" disabled={props.disabled} aria-controls={props.controls} onClick={() => props.onKey('0')}>
        0
      </button>
      <button type="button" class="key key-delete" disabled={props.disabled} aria-controls={props.controls} aria-label={t('keypad.delete')} onClick={() => props.onDelete()}>
        <svg viewBox="0 0 24 24" width="32" height="32" aria-hidden="true">
          <path d="M9 5h11a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H9l-6-7z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" />
          <path d="M12 9l6 6m0-6l-6 6" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
        </svg>
      </button>
    </div>
  );
}
