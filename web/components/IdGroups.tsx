// An ID number as people read it off the card, in its three groups (region, birth date, sequence),
// each kept whole on a line: the groups wrap, never the digits (a masked number too).
import { For } from 'solid-js';
import { groupIdNumber } from './id-format.ts';

export function IdGroups(props: { id: string; wrong?: number | null; class?: string }) {
  const groups = () => groupIdNumber(props.id).split(' ').filter(Boolean);
  return (
    <span class={`id-groups ${props.class ?? ''}`}>
      <For each={groups()}>
        {(g, i) => (
          <span class="id-group" classList={{ wrong: props.wrong === i() }} data-testid="id-group">
            {g}
          </span>
        )}
      </For>
    </span>
  );
}
