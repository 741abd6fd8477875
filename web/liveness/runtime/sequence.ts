// Where a check's action sequence comes from, and the guard that keeps a production build from
// running a sequence the caller chose.
//
// Production: the sequence is always `generateSequence(seed)`: the seed comes from a server-issued
// challenge token (web/data's beginCheck) or, offline, from the CSPRNG (`localSequence()`). A
// sequence handed to the runtime must be exactly what its seed generates; anything else is refused.
// The server re-derives the sequence from the seed when the result arrives.
//
// Test and dev builds (__TEST_BUILD__, a compile-time constant) may also run a fixed sequence, for
// the harness page, the e2e tests and the CLI. In a production bundle that branch is dead code and
// is removed (e2e/liveness-guard.e2e.test.ts builds production and checks).
import { ACTION_IDS, generateSequence, randomSeed, type ActionId, type ChallengeSequence } from '../../../shared/liveness.ts';

export class SequenceError extends Error {
  override name = 'SequenceError';
}

/** A fresh random sequence for a check without a server challenge (offline). */
export function localSequence(): ChallengeSequence {
  return generateSequence(randomSeed());
}

export function sameSequence(a: ChallengeSequence, b: ChallengeSequence): boolean {
  return a.seed >>> 0 === b.seed >>> 0 && a.actions.length === b.actions.length && a.actions.every((x, i) => x === b.actions[i]) && (a.digits ?? null) === (b.digits ?? null);
}

/** Shape checks that hold for every sequence, fixed or generated. */
export function validateSequenceShape(seq: ChallengeSequence): void {
  if (!Number.isInteger(seq.seed) || seq.seed < 0 || seq.seed > 0xffff_ffff) throw new SequenceError('seed must be a 32-bit unsigned integer');
  if (!Array.isArray(seq.actions) || seq.actions.length < 1 || seq.actions.length > 3) throw new SequenceError('a sequence has 1 to 3 actions');
  for (const a of seq.actions) if (!(ACTION_IDS as readonly string[]).includes(a)) throw new SequenceError(`unknown action "${String(a)}"`);
  if (new Set(seq.actions).size !== seq.actions.length) throw new SequenceError('actions must be distinct');
  const wantsDigits = seq.actions.includes('read_digits');
  if (wantsDigits !== (seq.digits !== undefined)) throw new SequenceError('digits must be given exactly when read_digits is asked');
  if (seq.digits !== undefined && !/^\d{4}$/.test(seq.digits)) throw new SequenceError('digits must be 4 digits');
}

/**
 * The sequence a check will run. Throws SequenceError when it is malformed or, in a production
 * build, when it is not the one its seed generates.
 */
export function checkedSequence(seq: ChallengeSequence): ChallengeSequence {
  validateSequenceShape(seq);
  const copy: ChallengeSequence = { seed: seq.seed >>> 0, actions: [...seq.actions] };
  if (seq.digits !== undefined) copy.digits = seq.digits;
  if (__TEST_BUILD__) return copy; // test/dev builds: a fixed sequence is allowed (harness, e2e, CLI)
  if (!sameSequence(copy, generateSequence(copy.seed))) {
    throw new SequenceError('the sequence does not match its seed: production builds only run generateSequence(seed)');
  }
  return copy;
}

/**
 * Test builds only: a caller-chosen sequence (harness page, CLI). In a production build this
 * throws, and the bundler removes everything but the throw.
 */
export function fixedSequence(actions: readonly ActionId[], digits?: string): ChallengeSequence {
  if (!__TEST_BUILD__) throw new SequenceError('fixed sequences exist only in test builds');
  const seq: ChallengeSequence = { seed: 0, actions: [...actions] };
  if (actions.includes('read_digits')) seq.digits = digits ?? '4729';
  validateSequenceShape(seq);
  return seq;
}

/** Parses "turn_left,blink" into action ids (harness and CLI); throws on an unknown or repeated name. */
export function parseSteps(text: string): ActionId[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length < 1 || names.length > 3) throw new SequenceError(`give 1 to 3 steps, got ${names.length}`);
  for (const n of names) {
    if (!(ACTION_IDS as readonly string[]).includes(n)) throw new SequenceError(`unknown step "${n}"; steps are ${ACTION_IDS.join(', ')}`);
  }
  if (new Set(names).size !== names.length) throw new SequenceError('each step may appear once');
  return names as ActionId[];
}
