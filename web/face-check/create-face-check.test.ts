// The face-check controller (decision 062) with the real data layer (Dexie on fake-indexeddb: the
// real challenge cache, evidence rules, enrolment sealing and outbox), the real evidence builder and
// the real update hold; only what needs a browser (the camera, the MediaPipe engine, the session's
// frames) is a stand-in that ends the check when the test says so.
import 'fake-indexeddb/auto';
import { createRoot } from 'solid-js';
import { afterEach, describe, expect, it } from 'vitest';
import { syntheticJpeg, syntheticOgg, syntheticResult } from '../../shared/sync-fixtures.ts';
import type { LivenessResult, ReasonCode, Verdict } from '../../shared/liveness.ts';
import type { ChallengeState } from '../liveness/challenge.ts';
import { LIVENESS_PARAMS } from '../liveness/params.ts';
import { StorageFullError } from '../data/index.ts';
import { appDb, attemptsOf } from '../data/local.ts';
import { blobCount, takeChallenge } from '../data/store.ts';
import type { CameraHandle, CameraMode, LivenessOutcome, LivenessSession, LivenessSessionOptions, Speaker } from '../liveness/runtime/index.ts';
import { CameraError, RuntimeLoadError } from '../liveness/runtime/index.ts';
import type { LivenessRuntime } from '../liveness/runtime/index.ts';
import { updatesHeld, type LivenessAssetsState } from '../pwa/index.ts';
import { createFaceCheck, type CheckOutcome, type FaceCheck, type FaceCheckDeps, type FaceCheckOptions, type FaceCheckPhase } from './create-face-check.ts';

let nextUser = 100;

/** A browser stand-in: files, camera, engine and session the test drives; everything else is real. */
function rig(over: Partial<FaceCheckDeps> = {}) {
  const log: string[] = [];
  let assets: LivenessAssetsState = { state: 'downloading', loadedBytes: 0, totalBytes: 10 };
  const cameras: { mode: CameraMode; stopped: boolean }[] = [];
  let cameraError: unknown = null;
  let runtimeError: unknown = null;
  let current: { opts: LivenessSessionOptions; finish(o: Partial<LivenessOutcome> & { verdict?: Verdict; reason?: ReasonCode }): void; cancelled: boolean; swaps: number } | null = null;
  let hidden = false;
  const visibilityListeners = new Set<() => void>();
  let now = Date.now();
  let challenges = 0;

  const deps: Partial<FaceCheckDeps> = {
    assets: () => assets,
    prepareAssets: () => log.push('prepareAssets'),
    async openCamera(mode) {
      log.push(`openCamera ${mode}`);
      if (cameraError) throw cameraError;
      const cam = { mode, stopped: false };
      cameras.push(cam);
      return { mode, stop: () => (cam.stopped = true) } as unknown as CameraHandle;
    },
    attachCamera: async () => void log.push('attachCamera'),
    async loadRuntime() {
      log.push('loadRuntime');
      if (runtimeError) throw runtimeError;
      return {} as LivenessRuntime;
    },
    async createSession(opts) {
      log.push(`session ${opts.sequence.actions.join(',')}`);
      let resolve!: (o: LivenessOutcome) => void;
      const done = new Promise<LivenessOutcome>((r) => (resolve = r));
      const seed = opts.sequence.seed;
      const outcome = (verdict: Verdict, o: Partial<LivenessOutcome> = {}, reason?: ReasonCode): LivenessOutcome => {
        const result: LivenessResult = syntheticResult({ seed, id: opts.challengeId ?? null }, verdict);
        return { result: reason ? { ...result, reason } : result, keyFrames: [], keyFrameInfo: [], stats: {} as LivenessOutcome['stats'], ...o };
      };
      const s = {
        opts,
        cancelled: false,
        swaps: 0,
        finish: ({ verdict = 'passed', reason, ...o }: Partial<LivenessOutcome> & { verdict?: Verdict; reason?: ReasonCode }) => resolve(outcome(verdict, o, reason)),
      };
      current = s;
      const session: LivenessSession = {
        sequence: opts.sequence,
        state: () => null,
        done,
        cancel() {
          s.cancelled = true;
          resolve(outcome('abandoned'));
        },
        abort: () => undefined,
        swap: () => void s.swaps++,
      };
      return session;
    },
    async beginCheck(userId) {
      challenges++;
      return takeChallenge(appDb(), userId, now);
    },
    visibility: {
      hidden: () => hidden,
      onChange(listener) {
        visibilityListeners.add(listener);
        return () => visibilityListeners.delete(listener);
      },
    },
    now: () => now,
    pollMs: 5,
    ...over,
  };
  return {
    log,
    deps,
    cameras,
    session: () => current,
    setAssets: (s: LivenessAssetsState['state']) => (assets = { state: s, loadedBytes: 10, totalBytes: 10 }),
    failCamera: (e: unknown) => (cameraError = e),
    failRuntime: (e: unknown) => (runtimeError = e),
    /** The page hidden (a call, the screen locked) or shown again, as document.visibilitychange says it. */
    setHidden(h: boolean) {
      hidden = h;
      for (const l of visibilityListeners) l();
    },
    setNow: (t: number) => (now = t),
    challenges: () => challenges,
  };
}

const speaker: Speaker = { speak: () => undefined, cancel: () => undefined };
const video = {} as HTMLVideoElement;
const jpeg = (seed: number) => new Blob([syntheticJpeg(240, 320, 8_000, seed) as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' });

async function until(what: string, ok: () => boolean, ms = 3_000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

let disposers: (() => void)[] = [];
afterEach(() => {
  for (const d of disposers) d();
  disposers = [];
});

function make(r: ReturnType<typeof rig>, o: Partial<FaceCheckOptions> = {}) {
  const userId = nextUser++;
  const events: string[] = [];
  const done: CheckOutcome[] = [];
  const fc = createRoot((dispose) => {
    disposers.push(dispose);
    return createFaceCheck({
      userId,
      retireeId: 7,
      method: 'self',
      camera: 'front',
      start: 'auto',
      video: () => video,
      speaker,
      onCancel: () => events.push('cancel'),
      onDone: (x) => done.push(x),
      deps: r.deps,
      ...o,
    });
  });
  const phaseIs = (p: FaceCheckPhase) => until(`phase ${p} (now ${fc.phase()})`, () => fc.phase() === p);
  const attempts = () => attemptsOf(appDb(), userId);
  return { fc, userId, events, done, phaseIs, attempts };
}

const running = async (fc: FaceCheck, r: ReturnType<typeof rig>) => {
  await until(`running (now ${fc.phase()})`, () => fc.phase() === 'running' && r.session() !== null);
  return r.session()!;
};

describe('createFaceCheck', () => {
  it('waits for the files before the camera and the engine, then runs the check and saves it with its evidence', async () => {
    const r = rig();
    const { fc, done, attempts, phaseIs } = make(r);
    fc.begin();
    await new Promise((res) => setTimeout(res, 40));
    expect(fc.phase()).toBe('assets');
    expect(r.log).toEqual(['prepareAssets']);
    expect(updatesHeld()()).toBe(true);
    r.setAssets('ready');
    const s = await running(fc, r);
    expect(r.log.slice(0, 4)).toEqual(['prepareAssets', 'loadRuntime', 'openCamera front', 'attachCamera']);
    // The challenge comes from the phone's cache (none here: a local seed), and goes to the session.
    expect(s.opts.challengeId).toBeUndefined();
    s.finish({ keyFrames: [jpeg(1), jpeg(2)], audio: new Blob([syntheticOgg() as Uint8Array<ArrayBuffer>], { type: 'audio/ogg' }), audioDurationMs: 1_800 });
    await phaseIs('done');
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ evidenceDropped: false, enrolmentNotSealed: null });
    const [saved] = await attempts();
    expect(saved).toMatchObject({ id: done[0]!.attemptId, retireeId: 7, method: 'self', frames: 2, audio: 1, syncState: 'waiting' });
    expect(await blobCount(appDb(), saved!.id)).toBe(3);
    expect(r.cameras.every((c) => c.stopped)).toBe(true);
    expect(updatesHeld()()).toBe(false);
  });

  it('elder screen: a check the person stops is not an attempt and goes back (decision 038)', async () => {
    const r = rig();
    r.setAssets('ready');
    const { fc, events, attempts, phaseIs } = make(r);
    fc.begin();
    await running(fc, r);
    fc.cancel();
    await phaseIs('cancelled');
    expect(events).toEqual(['cancel']);
    expect(await attempts()).toEqual([]);
    expect(r.cameras.every((c) => c.stopped)).toBe(true);
    expect(updatesHeld()()).toBe(false);
  });

  it('worker screen: a stopped check is not an attempt either; the preview stays and the next check is saved', async () => {
    const r = rig();
    r.setAssets('ready');
    const { fc, events, attempts, phaseIs, done } = make(r, { method: 'worker', camera: 'rear', start: 'manual' });
    fc.begin();
    await phaseIs('ready');
    expect(fc.engine()).toBe('ready');
    expect(r.session()).toBeNull();
    expect(updatesHeld()()).toBe(false);
    fc.start();
    const first = await running(fc, r);
    expect(updatesHeld()()).toBe(true);
    fc.cancel();
    await phaseIs('ready');
    expect(first.cancelled).toBe(true);
    expect(events).toEqual([]);
    expect(await attempts()).toEqual([]);
    expect(r.cameras).toEqual([{ mode: 'rear', stopped: false }]);
    expect(updatesHeld()()).toBe(false);

    fc.start();
    await until('second session', () => r.session() !== first && fc.phase() === 'running');
    r.session()!.finish({ verdict: 'failed', keyFrames: [jpeg(3), jpeg(4)] });
    await phaseIs('done');
    expect((await attempts()).map((a) => [a.method, a.result.verdict])).toEqual([['worker', 'failed']]);
    expect(done.map((d) => d.result.verdict)).toEqual(['failed']);
    // "Again": the camera opens anew, the next check starts from the preview.
    fc.retry();
    await phaseIs('ready');
    expect(r.cameras.map((c) => c.stopped)).toEqual([true, false]);
  });

  it('keeps the result when the phone refuses the evidence, for every screen', async () => {
    for (const method of ['self', 'worker'] as const) {
      const r = rig();
      r.setAssets('ready');
      const { fc, attempts, phaseIs, done } = make(r, { method, start: method === 'worker' ? 'manual' : 'auto' });
      fc.begin();
      if (method === 'worker') {
        await phaseIs('ready');
        fc.start();
      }
      const s = await running(fc, r);
      // Not a JPEG: the phone's evidence rules refuse it (the server would too).
      s.finish({ keyFrames: [new Blob([new Uint8Array(3_000).fill(7)], { type: 'image/jpeg' }), jpeg(5)] });
      await phaseIs('done');
      expect(done[0]).toMatchObject({ evidenceDropped: true });
      const [saved] = await attempts();
      expect(saved).toMatchObject({ id: done[0]!.attemptId, method, frames: 0, syncState: 'waiting' });
      expect(saved!.result.verdict).toBe('passed');
      expect(await blobCount(appDb(), saved!.id)).toBe(0);
    }
  });

  it('an enrolment the phone cannot seal yet is saved as an ordinary check, and the password is kept nowhere', async () => {
    const r = rig();
    r.setAssets('ready');
    const { fc, attempts, phaseIs, done } = make(r, { method: 'worker', start: 'manual' });
    fc.begin();
    await phaseIs('ready');
    fc.start({ enrolmentPassword: 'secret-pass-2026' });
    (await running(fc, r)).finish({ keyFrames: [jpeg(6), jpeg(7)] });
    await phaseIs('done');
    // No signing key on this phone yet (it never synced): NoSignatureKeyError, then the plain check.
    expect(done[0]).toMatchObject({ enrolmentNotSealed: 'noKey', evidenceDropped: false });
    const [saved] = await attempts();
    expect(saved).toMatchObject({ frames: 2 });
    expect(saved!.enrolment).toBeUndefined();
    expect(JSON.stringify(await appDb().attempts.toArray())).not.toContain('secret-pass-2026');
  });

  it('an enrolment on a check without a key frame says so and saves the check', async () => {
    const r = rig();
    r.setAssets('ready');
    const { fc, phaseIs, done } = make(r, { method: 'worker', start: 'manual' });
    fc.begin();
    await phaseIs('ready');
    fc.start({ enrolmentPassword: 'pw' });
    (await running(fc, r)).finish({ keyFrames: [] });
    await phaseIs('done');
    expect(done[0]).toMatchObject({ enrolmentNotSealed: 'noFrame' });
  });

  it('says what stopped it: a refused camera, an engine the phone cannot run, a full phone; and tries again', async () => {
    const r = rig();
    r.setAssets('ready');
    r.failCamera(new CameraError('permission_denied', 'NotAllowedError'));
    const a = make(r);
    a.fc.begin();
    await a.phaseIs('problem');
    expect(a.fc.problem()).toEqual({ id: 'camera.permission_denied' });
    expect(updatesHeld()()).toBe(false);
    r.failCamera(null);
    a.fc.retry();
    (await running(a.fc, r)).finish({ keyFrames: [jpeg(8), jpeg(9)] });
    await a.phaseIs('done');
    expect(await a.attempts()).toHaveLength(1);

    const r2 = rig();
    r2.setAssets('ready');
    r2.failRuntime(new RuntimeLoadError('no module workers', 'unsupported'));
    const b = make(r2);
    b.fc.begin();
    await b.phaseIs('problem');
    expect(b.fc.problem()).toEqual({ id: 'engine.unsupported' });
    expect(b.fc.engine()).toBe('error');
    expect(r2.cameras.every((c) => c.stopped)).toBe(true);

    const r3 = rig({
      recordAttempt: () => Promise.reject(new StorageFullError()),
    });
    r3.setAssets('ready');
    const c = make(r3);
    c.fc.begin();
    (await running(c.fc, r3)).finish({ keyFrames: [jpeg(10), jpeg(11)] });
    await c.phaseIs('problem');
    expect(c.fc.problem()).toEqual({ id: 'storage' });
    expect(c.done).toEqual([]);
  });

  it('stops the session and the camera and saves nothing when the screen goes away mid-check', async () => {
    const r = rig();
    r.setAssets('ready');
    const { fc, attempts, events, done } = make(r);
    fc.begin();
    const s = await running(fc, r);
    fc.dispose();
    expect(s.cancelled).toBe(true);
    expect(r.cameras.every((c) => c.stopped)).toBe(true);
    expect(updatesHeld()()).toBe(false);
    await new Promise((res) => setTimeout(res, 30));
    expect(await attempts()).toEqual([]);
    expect(events).toEqual([]);
    expect(done).toEqual([]);
  });
});

/** A token in the phone's challenge cache, as a pull stores it. */
async function cacheToken(userId: number, expiresAt: number) {
  const id = `tok-${userId}-${expiresAt}`;
  await appDb().challenges.put({ id, userId, token: `c1.${id}.sig`, seed: 4242, issuedAt: expiresAt - 1000, expiresAt });
  return id;
}

/** The engine's state as a session reports it, with the fields the controller reads. */
const engineState = (o: Partial<ChallengeState>): ChallengeState =>
  ({ phase: 'action', stepIndex: 1, action: 'look_up', stepCount: 2, stepElapsedMs: 0, swaps: [], canSwap: true, verdict: null, reason: null, ...o }) as ChallengeState;

describe('createFaceCheck: nothing ends on a timer; pause, resume, another action (issue 17 §3)', () => {
  it('shows the waiting help after timing.helpAfterMs on one step, and passes "换一个动作" to the session', async () => {
    const r = rig();
    r.setAssets('ready');
    const { fc } = make(r);
    fc.begin();
    const s = await running(fc, r);
    // The phone's own check has no total time (decision 076).
    expect(s.opts.untimed).toBe(true);
    s.opts.onUpdate?.({ state: engineState({ stepElapsedMs: LIVENESS_PARAMS.timing.helpAfterMs - 1 }), events: [] });
    expect(fc.waiting()).toBe(false);
    s.opts.onUpdate?.({ state: engineState({ stepElapsedMs: LIVENESS_PARAMS.timing.helpAfterMs }), events: [] });
    expect(fc.waiting()).toBe(true);
    fc.swap();
    expect(s.swaps).toBe(1);
    // No other action fits: the button does nothing.
    s.opts.onUpdate?.({ state: engineState({ canSwap: false }), events: [] });
    fc.swap();
    expect(s.swaps).toBe(1);
  });

  it('pause stops the check and the camera and saves nothing; resume asks the same challenge with the person\'s swaps', async () => {
    const r = rig();
    r.setAssets('ready');
    const { fc, attempts, phaseIs, userId, done } = make(r);
    const token = await cacheToken(userId, Date.now() + 3600_000);
    fc.begin();
    const first = await running(fc, r);
    expect(first.opts.challengeId).toBe(token);
    first.opts.onUpdate?.({ state: engineState({ swaps: [{ at: 1, action: 'turn_left' }] }), events: [] });
    fc.pause();
    await phaseIs('paused');
    expect(fc.pausedBy()).toBe('person');
    expect(first.cancelled).toBe(true);
    expect(r.cameras.map((c) => c.stopped)).toEqual([true]);
    expect(await attempts()).toEqual([]);
    // Still "under way": an app update must not reload the page under a paused check.
    expect(updatesHeld()()).toBe(true);
    // The page going away and coming back does not resume what the person paused.
    r.setHidden(true);
    r.setHidden(false);
    expect(fc.phase()).toBe('paused');

    fc.resume();
    const second = await until('second session', () => r.session() !== first && fc.phase() === 'running').then(() => r.session()!);
    expect(second.opts.challengeId).toBe(token);
    expect(second.opts.swaps).toEqual([{ at: 1, action: 'turn_left' }]);
    expect(r.challenges()).toBe(1);
    expect(r.cameras.map((c) => c.stopped)).toEqual([true, false]);
    second.finish({});
    await phaseIs('done');
    expect((await attempts()).map((a) => [a.challengeId, a.result.verdict])).toEqual([[token, 'passed']]);
    expect(done).toHaveLength(1);
  });

  it('the page hidden (a call, the screen locked) pauses without an attempt, and shown again carries on by itself', async () => {
    const r = rig();
    r.setAssets('ready');
    const { fc, attempts, phaseIs, events } = make(r);
    fc.begin();
    const first = await running(fc, r);
    r.setHidden(true);
    await phaseIs('paused');
    expect(fc.pausedBy()).toBe('away');
    expect(first.cancelled).toBe(true);
    expect(r.cameras.every((c) => c.stopped)).toBe(true);
    r.setHidden(false);
    const second = await until('resumed', () => r.session() !== first && fc.phase() === 'running').then(() => r.session()!);
    // The runtime's own ending for a hidden page, and a camera taken while hidden, are pauses too.
    r.setHidden(true);
    second.finish({ verdict: 'abandoned', reason: 'app_backgrounded' });
    await phaseIs('paused');
    r.setHidden(false);
    const third = await until('resumed again', () => r.session() !== second && fc.phase() === 'running').then(() => r.session()!);
    r.setHidden(true);
    third.finish({ verdict: 'abandoned', reason: 'camera_unavailable' });
    await phaseIs('paused');
    expect(await attempts()).toEqual([]);
    expect(events).toEqual([]);
    // Stopping from the pause is the person's stop: not an attempt, and back.
    fc.cancel();
    await phaseIs('cancelled');
    expect(events).toEqual(['cancel']);
    expect(await attempts()).toEqual([]);
    expect(updatesHeld()()).toBe(false);
  });

  it('a resumed check whose token expired meanwhile takes a fresh challenge, saying nothing of it', async () => {
    const r = rig();
    r.setAssets('ready');
    const { fc, phaseIs, userId } = make(r);
    const soon = Date.now() + 60_000;
    const old = await cacheToken(userId, soon);
    const next = await cacheToken(userId, soon + 3600_000);
    fc.begin();
    const first = await running(fc, r);
    expect(first.opts.challengeId).toBe(old);
    first.opts.onUpdate?.({ state: engineState({ swaps: [{ at: 0, action: 'open_mouth' }] }), events: [] });
    fc.pause();
    await phaseIs('paused');
    r.setNow(soon + 1);
    fc.resume();
    const second = await until('fresh session', () => r.session() !== first && fc.phase() === 'running').then(() => r.session()!);
    expect(second.opts.challengeId).toBe(next);
    // The swaps were for the old sequence.
    expect(second.opts.swaps).toBeUndefined();
    expect(fc.problem()).toBeNull();
  });

  it('worker screen: pause and resume go on with the check, not back to the preview', async () => {
    const r = rig();
    r.setAssets('ready');
    const { fc, phaseIs, attempts } = make(r, { method: 'worker', camera: 'rear', start: 'manual' });
    fc.begin();
    await phaseIs('ready');
    fc.start();
    const first = await running(fc, r);
    fc.pause();
    await phaseIs('paused');
    fc.resume();
    await until('resumed', () => r.session() !== first && fc.phase() === 'running');
    expect(r.cameras.map((c) => [c.mode, c.stopped])).toEqual([['rear', true], ['rear', false]]);
    expect(await attempts()).toEqual([]);
  });
});
