import { describe, expect, it } from 'vitest';
import { generateSequence } from '../../../shared/liveness.ts';
import { checkedSequence, fixedSequence, localSequence, parseSteps, sameSequence, SequenceError, validateSequenceShape } from './sequence.ts';

// Unit tests run as a test build (__TEST_BUILD__ = true). The production rule (only
// generateSequence(seed) is accepted) is checked on a real production bundle in
// e2e/liveness-guard.e2e.test.ts.
describe('sequence source', () => {
  it('a local sequence is generateSequence of a fresh random seed', () => {
    const a = localSequence();
    expect(sameSequence(a, generateSequence(a.seed))).toBe(true);
    expect(checkedSequence(a)).toEqual(a);
    const seeds = new Set(Array.from({ length: 20 }, () => localSequence().seed));
    expect(seeds.size).toBeGreaterThan(15);
  });

  it('compares sequences by seed, actions in order, and digits', () => {
    const s = generateSequence(42);
    expect(sameSequence(s, { ...s, actions: [...s.actions] })).toBe(true);
    expect(sameSequence(s, { ...s, seed: 43 })).toBe(false);
    expect(sameSequence(s, { ...s, actions: [...s.actions].reverse() })).toBe(false);
    expect(sameSequence({ seed: 1, actions: ['read_digits'], digits: '1234' }, { seed: 1, actions: ['read_digits'], digits: '1235' })).toBe(false);
  });

  it('refuses malformed sequences in every build', () => {
    const bad = [
      { seed: -1, actions: ['blink'] },
      { seed: 1.5, actions: ['blink'] },
      { seed: 1, actions: [] },
      { seed: 1, actions: ['blink', 'turn_left', 'look_up', 'open_mouth'] },
      { seed: 1, actions: ['blink', 'blink'] },
      { seed: 1, actions: ['wink'] },
      { seed: 1, actions: ['read_digits'] },
      { seed: 1, actions: ['blink'], digits: '1234' },
      { seed: 1, actions: ['read_digits'], digits: '12345' },
    ];
    for (const s of bad) expect(() => validateSequenceShape(s as never), JSON.stringify(s)).toThrow(SequenceError);
    for (const s of bad) expect(() => checkedSequence(s as never), JSON.stringify(s)).toThrow(SequenceError);
  });

  it('test builds accept a fixed sequence (harness, e2e, CLI) and give it digits when needed', () => {
    expect(fixedSequence(['turn_left', 'blink'])).toEqual({ seed: 0, actions: ['turn_left', 'blink'] });
    expect(fixedSequence(['read_digits'], '0815')).toEqual({ seed: 0, actions: ['read_digits'], digits: '0815' });
    expect(fixedSequence(['read_digits']).digits).toMatch(/^\d{4}$/);
    const fixed = fixedSequence(['open_mouth']);
    expect(checkedSequence(fixed)).toEqual(fixed);
    // A copy: the caller cannot change the running sequence afterwards.
    expect(checkedSequence(fixed)).not.toBe(fixed);
  });

  it('parses step lists from the harness URL and the CLI', () => {
    expect(parseSteps('turn_left, blink')).toEqual(['turn_left', 'blink']);
    expect(() => parseSteps('')).toThrow(/1 to 3 steps/);
    expect(() => parseSteps('blink,nod')).toThrow(/unknown step "nod"/);
    expect(() => parseSteps('blink,blink')).toThrow(/once/);
  });
});
