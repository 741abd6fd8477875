import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  ACTION_IDS,
  FACE_ACTIONS,
  HEAD_ACTIONS,
  LIVENESS_ENGINE_VERSION,
  LivenessResult,
  blinkSubstitute,
  generateSequence,
  sequenceRulesHold,
  stepsAnswer,
  randomSeed,
  seededRandom,
  type ActionId,
} from './liveness.ts';

describe('generateSequence', () => {
  it('is deterministic per seed', () => {
    for (const seed of [0, 1, 42, 0xdeadbeef, 0xffffffff]) {
      expect(generateSequence(seed)).toEqual(generateSequence(seed));
      expect(generateSequence(seed).seed).toBe(seed >>> 0);
    }
  });

  it('differs between seeds', () => {
    const distinct = new Set(Array.from({ length: 200 }, (_, i) => JSON.stringify(generateSequence(i).actions)));
    expect(distinct.size).toBeGreaterThan(30);
  });

  it('follows its rules for 20 000 seeds, with a sane distribution', () => {
    const lengths = { 2: 0, 3: 0 } as Record<number, number>;
    const actionCount = Object.fromEntries(ACTION_IDS.map((a) => [a, 0])) as Record<ActionId, number>;
    const firstCount = Object.fromEntries(ACTION_IDS.map((a) => [a, 0])) as Record<ActionId, number>;
    const digitCount = Array.from({ length: 10 }, () => 0);
    const N = 20_000;
    for (let i = 0; i < N; i++) {
      const s = generateSequence((i * 2654435761) >>> 0);
      lengths[s.actions.length] = (lengths[s.actions.length] ?? 0) + 1;
      expect(new Set(s.actions).size).toBe(s.actions.length);
      expect(s.actions.some((a) => HEAD_ACTIONS.includes(a))).toBe(true);
      expect(s.actions.some((a) => FACE_ACTIONS.includes(a))).toBe(true);
      for (let k = 1; k < s.actions.length; k++) {
        const pair = [s.actions[k - 1], s.actions[k]].sort().join();
        expect(pair).not.toBe('turn_left,turn_right');
      }
      expect(s.actions.includes('read_digits')).toBe(s.digits !== undefined);
      if (s.digits !== undefined) {
        expect(s.digits).toMatch(/^\d{4}$/);
        expect(s.digits).not.toMatch(/^(\d)\1{3}$/);
        for (const d of s.digits) digitCount[Number(d)] = (digitCount[Number(d)] ?? 0) + 1;
      }
      for (const a of s.actions) actionCount[a]++;
      firstCount[s.actions[0] as ActionId]++;
    }
    expect((lengths[2] ?? 0) + (lengths[3] ?? 0)).toBe(N);
    expect(Math.abs((lengths[2] ?? 0) / N - 0.5)).toBeLessThan(0.03);
    // Every action is used, none dominates, and each can come first.
    const perSeq = Object.values(actionCount).map((c) => c / N);
    expect(Math.min(...perSeq)).toBeGreaterThan(0.2);
    expect(Math.max(...perSeq)).toBeLessThan(0.65);
    for (const a of ACTION_IDS) expect(firstCount[a] / N).toBeGreaterThan(0.05);
    const digitTotal = digitCount.reduce((a, b) => a + b, 0);
    for (const c of digitCount) expect(Math.abs(c / digitTotal - 0.1)).toBeLessThan(0.02);
  });

  it('accepts a random source and then is reproducible from the seed it reports', () => {
    const rnd = seededRandom(7);
    const s = generateSequence(rnd);
    expect(generateSequence(s.seed)).toEqual(s);
  });
});

describe('randomSeed', () => {
  it('returns varied 32-bit unsigned integers', () => {
    const seeds = Array.from({ length: 50 }, randomSeed);
    for (const s of seeds) {
      expect(Number.isInteger(s)).toBe(true);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(0xffffffff);
    }
    expect(new Set(seeds).size).toBeGreaterThan(45);
  });
});

describe('LivenessResult schema', () => {
  const ok = {
    engineVersion: LIVENESS_ENGINE_VERSION,
    seed: 123,
    verdict: 'passed',
    reason: null,
    durationMs: 14_000,
    baselineMs: 900,
    steps: [
      { action: 'turn_left', passed: true, durationMs: 3000, peak: 31.2 },
      { action: 'read_digits', passed: true, durationMs: 5000, peak: 0.31, count: 4 },
    ],
    digits: '3729',
    restarts: [],
    quality: [{ state: 'too_far', atMs: 200, durationMs: 1500 }],
    inference: { frames: 400, medianMs: 21, p95Ms: 40, delegate: 'GPU' },
  };

  it('accepts a well-formed result', () => {
    expect(v.safeParse(LivenessResult, ok).success).toBe(true);
  });

  it.each([
    ['a passed result with a reason', { reason: 'timeout_action' }],
    ['a failure without a reason', { verdict: 'failed' }],
    ['a reason that belongs to another verdict', { verdict: 'abandoned', reason: 'timeout_action' }],
    ['digits without read_digits', { steps: [{ action: 'blink', passed: true, durationMs: 1, peak: 0.5 }] }],
    ['read_digits without digits', { digits: undefined }],
    ['bad digits', { digits: '12a4' }],
    ['an unknown action', { steps: [{ action: 'smile', passed: true, durationMs: 1, peak: 0 }] }],
    ['a passed result with a failed step', { steps: [{ action: 'read_digits', passed: false, durationMs: 1, peak: 0 }] }],
    ['repeated actions', { steps: [ok.steps[1], ok.steps[1]] }],
    ['extra fields', { photo: 'data:...' }],
    ['a seed beyond 32 bits', { seed: 2 ** 32 }],
  ])('rejects %s', (_name, patch) => {
    const bad = { ...ok, ...patch } as Record<string, unknown>;
    if ('digits' in patch && patch.digits === undefined) delete bad.digits;
    expect(v.safeParse(LivenessResult, bad).success).toBe(false);
  });
});

describe('a blink step swapped for eyes with no usable blink (issue 18 §1)', () => {
  it('the substitute keeps every rule of the generator, for every sequence with a blink', () => {
    let withBlink = 0;
    for (let seed = 0; seed < 5000; seed++) {
      const seq = generateSequence(seed);
      const sub = blinkSubstitute(seq.actions);
      if (!seq.actions.includes('blink')) {
        expect(sub).toBeNull();
        continue;
      }
      withBlink++;
      expect(sub).not.toBeNull();
      expect(sub).not.toBe('read_digits');
      const swapped = seq.actions.map((a) => (a === 'blink' ? sub! : a));
      expect(sequenceRulesHold(swapped), `${seq.actions} → ${swapped}`).toBe(true);
    }
    expect(withBlink).toBeGreaterThan(1000);
  });

  it('blink as the only eye or mouth action becomes open mouth; beside another, a head action may do', () => {
    expect(blinkSubstitute(['turn_left', 'blink'])).toBe('open_mouth');
    expect(blinkSubstitute(['turn_left', 'blink', 'turn_right'])).toBe('open_mouth');
    expect(blinkSubstitute(['look_up', 'blink', 'open_mouth'])).toBe('turn_left');
    // turn_left would sit next to turn_right: the next head action is chosen.
    expect(blinkSubstitute(['turn_right', 'blink', 'open_mouth'])).toBe('look_up');
  });

  it('the server accepts exactly the swap the rules give, marked, where blink was asked', () => {
    const seq = { seed: 1, actions: ['turn_left', 'blink'] as ActionId[] };
    expect(stepsAnswer(seq, [{ action: 'turn_left' }, { action: 'blink' }])).toBe(true);
    expect(stepsAnswer(seq, [{ action: 'turn_left' }, { action: 'open_mouth', replaces: 'blink' }])).toBe(true);
    // Unmarked, another substitute, a swap where no blink was asked, or a changed order: refused.
    expect(stepsAnswer(seq, [{ action: 'turn_left' }, { action: 'open_mouth' }])).toBe(false);
    expect(stepsAnswer(seq, [{ action: 'turn_left' }, { action: 'look_up', replaces: 'blink' }])).toBe(false);
    expect(stepsAnswer(seq, [{ action: 'open_mouth', replaces: 'blink' }, { action: 'blink' }])).toBe(false);
    expect(stepsAnswer(seq, [{ action: 'blink' }, { action: 'turn_left' }])).toBe(false);
    expect(stepsAnswer(seq, [{ action: 'turn_left' }])).toBe(false);
  });

  it('the result schema carries the swap', () => {
    const turn = { action: 'turn_left', passed: true, durationMs: 3000, peak: 31.2 };
    const swapped = {
      engineVersion: LIVENESS_ENGINE_VERSION,
      seed: 1,
      verdict: 'passed',
      reason: null,
      durationMs: 9000,
      baselineMs: 900,
      steps: [turn, { action: 'open_mouth', passed: true, durationMs: 900, peak: 0.6, replaces: 'blink' }],
      restarts: [],
      quality: [],
      inference: { frames: 200, medianMs: 21, p95Ms: 40, delegate: 'CPU' },
    };
    expect(v.safeParse(LivenessResult, swapped).success).toBe(true);
    expect(v.safeParse(LivenessResult, { ...swapped, steps: [turn, { ...swapped.steps[1], replaces: 'turn_left' }] }).success).toBe(false);
  });
});
