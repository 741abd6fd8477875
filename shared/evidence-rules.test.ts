import { describe, expect, it } from 'vitest';
import { evidenceProblem } from './evidence-rules.ts';
import type { LivenessResult } from './liveness.ts';
import { syntheticResult } from './sync-fixtures.ts';

// Seed 1 asks for a sequence; the tests below edit its timings and counts.
const base = (): LivenessResult => syntheticResult({ seed: 1, id: 'c1' });

describe('evidenceProblem', () => {
  it('accepts a passed result with plausible timings, frames and two key frames', () => {
    expect(evidenceProblem(base(), 2)).toBeNull();
    expect(evidenceProblem(base(), 3)).toBeNull();
  });

  it('does not judge results that did not pass (they certify nothing)', () => {
    const failed = syntheticResult({ seed: 1, id: 'c1' }, 'failed');
    failed.inference.frames = 0;
    expect(evidenceProblem(failed, 0)).toBeNull();
  });

  it('a passed result without its key frames is missing evidence', () => {
    expect(evidenceProblem(base(), 0)).toMatchObject({ reason: 'evidence_missing', detail: '0 key frames (needs 2)' });
    expect(evidenceProblem(base(), 1)?.reason).toBe('evidence_missing');
  });

  it('"0 frames analysed in 0 ms" (the fabricated pass the attack found) is implausible', () => {
    const r = base();
    r.durationMs = 0;
    r.baselineMs = 0;
    r.steps = r.steps.map((s) => ({ ...s, durationMs: 0 }));
    r.inference = { frames: 0, medianMs: 0, p95Ms: 0, delegate: 'CPU' };
    expect(evidenceProblem(r, 2)?.reason).toBe('evidence_implausible');
  });

  it('a baseline shorter than the engine can collect one is implausible', () => {
    const r = base();
    r.baselineMs = 200;
    expect(evidenceProblem(r, 2)).toMatchObject({ reason: 'evidence_implausible', detail: 'baseline in 200 ms (needs ≥ 500)' });
  });

  it('a step faster than a person can perform it is implausible', () => {
    const r = base();
    r.steps[0]!.durationMs = 40;
    expect(evidenceProblem(r, 2)?.detail).toMatch(new RegExp(`^${r.steps[0]!.action} in 40 ms`));
  });

  it('a check shorter than its baseline and steps together is implausible', () => {
    const r = base();
    r.durationMs = r.baselineMs + r.steps.reduce((s, x) => s + x.durationMs, 0) - 500;
    expect(evidenceProblem(r, 2)?.detail).toMatch(/shorter than its parts/);
  });

  it('fewer analysed frames than the sequence needs, or more than a camera gives, is implausible', () => {
    const few = base();
    few.inference.frames = 7;
    expect(evidenceProblem(few, 2)?.detail).toMatch(/^7 frames analysed \(needs ≥ \d+ for this sequence\)$/);
    const many = base();
    many.inference.frames = 100_000;
    expect(evidenceProblem(many, 2)?.detail).toMatch(/over 120 a second/);
  });

  it('frames analysed in no time at all are implausible', () => {
    const r = base();
    r.inference.medianMs = 0;
    expect(evidenceProblem(r, 2)?.detail).toBe('frames analysed in 0 ms');
  });
});
