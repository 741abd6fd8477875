// The token check against the sequence its seed gives, with issue 18's one allowed change: a blink
// step swapped, for eyes with no usable blink, for exactly the action blinkSubstitute names.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blinkSubstitute, generateSequence } from '../../shared/liveness.ts';
import { syntheticResult } from '../../shared/sync-fixtures.ts';
import { checkToken, encodeToken, type TokenPayload } from './tokens.ts';

const secret = randomBytes(32);
const now = Date.UTC(2026, 11, 4);
/** The first seed whose sequence holds a blink. */
const seed = Array.from({ length: 100 }, (_, i) => i).find((s) => generateSequence(s).actions.includes('blink'))!;
const payload: TokenPayload = { i: 'tok1', u: 5, d: 'dev', s: seed, t: now - 1000, e: now + 60_000 };
const token = encodeToken(secret, payload);

function swapped(action: ReturnType<typeof blinkSubstitute>) {
  const r = syntheticResult({ id: 'tok1', seed });
  const at = r.steps.findIndex((s) => s.action === 'blink');
  const { count: _count, ...rest } = r.steps[at]!;
  r.steps[at] = { ...rest, action: action!, replaces: 'blink' };
  return r;
}

describe('checkToken and a swapped blink step', () => {
  it('accepts the sequence as asked, and the swap the rules give', () => {
    expect(checkToken(secret, token, syntheticResult({ id: 'tok1', seed }), 5, 'dev', now).reviewReason).toBeNull();
    expect(checkToken(secret, token, swapped(blinkSubstitute(generateSequence(seed).actions)), 5, 'dev', now).reviewReason).toBeNull();
  });

  it('sends any other swap to review as sequence_mismatch', () => {
    const allowed = blinkSubstitute(generateSequence(seed).actions);
    const other = (['open_mouth', 'look_up', 'turn_left', 'turn_right'] as const).find((a) => a !== allowed && !generateSequence(seed).actions.includes(a))!;
    expect(checkToken(secret, token, swapped(other), 5, 'dev', now).reviewReason).toBe('sequence_mismatch');
    // The substitute without the mark is not the asked sequence either.
    const unmarked = swapped(allowed);
    for (const s of unmarked.steps) delete s.replaces;
    expect(checkToken(secret, token, unmarked, 5, 'dev', now).reviewReason).toBe('sequence_mismatch');
  });
});
