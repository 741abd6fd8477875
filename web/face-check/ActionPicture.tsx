// A drawn face doing what the check waits for, moving slowly (one calm movement every few seconds,
// nothing flashes), shown with the waiting help (decision 076): the voice alone is not enough for a
// person who hears badly or does not understand "向左转头". With prefers-reduced-motion the picture
// stands still at the movement's end, its arrow showing the way. Drawn, never a photo of anyone.
// The face is drawn as in a mirror, like the front camera's preview: "turn left" moves it to the left.
import type { ActionId } from '../../shared/liveness.ts';
import './action-picture.css';

export type PictureAction = ActionId | 'look_straight';

/** Which way the arrow points, if the action moves the head. */
const ARROW: Partial<Record<PictureAction, string>> = {
  turn_left: 'M30 16 H8 M16 8 L8 16 L16 24',
  turn_right: 'M66 16 H88 M80 8 L88 16 L80 24',
  look_up: 'M48 22 V4 M40 12 L48 4 L56 12',
};

export function ActionPicture(props: { action: PictureAction; class?: string }) {
  return (
    <svg viewBox="0 0 96 96" class={`action-picture act-${props.action} ${props.class ?? ''}`} data-testid="action-picture" data-action={props.action} aria-hidden="true">
      <path d="M16 96c3-16 15-24 32-24s29 8 32 24" fill="#0b3d2e" />
      <g class="head">
        <ellipse cx="48" cy="52" rx="22" ry="26" fill="#f6d2b0" stroke="#111" stroke-width="3" />
        <g class="features">
          <g class="eyes" fill="#111">
            <ellipse class="eye" cx="40" cy="48" rx="3.2" ry="3.6" />
            <ellipse class="eye" cx="56" cy="48" rx="3.2" ry="3.6" />
          </g>
          <path d="M48 52 v8" stroke="#8a5a3c" stroke-width="2.5" stroke-linecap="round" fill="none" />
          <ellipse class="mouth" cx="48" cy="66" rx="6" ry="2" fill="#7a1f1f" />
        </g>
      </g>
      {ARROW[props.action] && <path class="arrow" d={ARROW[props.action]} fill="none" stroke="#0b3d2e" stroke-width="4" stroke-linecap="round" stroke-linejoin="round" />}
    </svg>
  );
}
