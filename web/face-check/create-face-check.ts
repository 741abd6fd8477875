// One face check, from the files on the phone to the saved attempt, for every screen that runs one:
// the elder screen (web/components/FaceCheck.tsx: a retiree on their own phone, or a family member
// holding it) and the worker's outdoor screen (web/worker/CertifyScreen.tsx). The screens are views;
// this owns the order and every fallback (decisions 038 and 062):
//
//   assets   wait until the liveness files are on the phone (a retry of the download carries on)
//   camera   open the camera and show it; the engine loads meanwhile (once the files are there)
//   ready    'manual' start only (the worker): preview live, engine loaded, waiting for start()
//   starting take the next challenge (a cached server token or a local seed), start the session
//   running  the check; cancel() ends it as the person's own stop
//   saving   the evidence (built here, nowhere else) and the attempt, durably on the phone
//   done     outcome() holds the saved check
//   cancelled 'auto' only: the person stopped (onCancel has been called)
//   problem  problem() says what stopped it: the camera, the engine, a full phone, a failed save
//
// A check the person stops is not an attempt (decision 038): nothing is saved; 'auto' calls
// onCancel, 'manual' goes back to the preview. Evidence the phone refuses is dropped and the result
// alone is saved rather than losing the check. App updates are held while anything is under way.
import { createSignal, getOwner, onCleanup, type Accessor } from 'solid-js';
import type { LivenessResult } from '../../shared/liveness.ts';
import {
  beginCheck,
  NoSignatureKeyError,
  recordAttempt,
  StorageFullError,
  type CheckChallenge,
  type NewAttempt,
} from '../data/index.ts';
import type { ChallengeState } from '../liveness/challenge.ts';
import {
  attachCamera,
  attemptEvidence,
  CameraError,
  createLivenessSession,
  loadLivenessRuntime,
  openCamera,
  RuntimeLoadError,
  type CameraHandle,
  type CameraMode,
  type LivenessOutcome,
  type LivenessRuntime,
  type LivenessSession,
  type LivenessSessionOptions,
  type RuntimeMessageId,
  type Speaker,
} from '../liveness/runtime/index.ts';
import { holdUpdates, livenessAssets, prepareLivenessAssets, type LivenessAssetsState } from '../pwa/index.ts';

export type FaceCheckPhase = 'assets' | 'camera' | 'ready' | 'starting' | 'running' | 'saving' | 'done' | 'cancelled' | 'problem';

/** The runtime's camera and engine messages, a full phone, or a save that failed for another reason. */
export type FaceCheckProblem = { id: RuntimeMessageId } | { id: 'storage' } | { id: 'save'; reason: string };

export interface CheckOutcome {
  result: LivenessResult;
  /** The attempt's id in the phone's outbox. */
  attemptId: string;
  /** The phone refused the pictures or the recording: the result alone was saved. */
  evidenceDropped: boolean;
  /** An in-person enrolment was asked for on a passed check and could not be sealed: why. */
  enrolmentNotSealed: 'noFrame' | 'noKey' | null;
}

type Evidence = Awaited<ReturnType<typeof attemptEvidence>>;

/** Everything the controller reaches outside itself: the real pieces by default, stand-ins in unit tests. */
export interface FaceCheckDeps {
  assets: Accessor<LivenessAssetsState>;
  prepareAssets(): void;
  openCamera(mode: CameraMode): Promise<CameraHandle>;
  attachCamera(camera: CameraHandle, video: HTMLVideoElement): Promise<void>;
  loadRuntime(): Promise<LivenessRuntime>;
  createSession(opts: LivenessSessionOptions): Promise<LivenessSession>;
  evidence(outcome: LivenessOutcome): Promise<Evidence>;
  beginCheck(userId: number): Promise<CheckChallenge>;
  recordAttempt(input: Omit<NewAttempt, 'midWrite'>): Promise<string>;
  holdUpdates(reason: string): () => void;
  /** How often the assets wait looks again. */
  pollMs: number;
}

const realDeps = (): FaceCheckDeps => ({
  assets: livenessAssets(),
  prepareAssets: prepareLivenessAssets,
  openCamera,
  attachCamera,
  loadRuntime: () => loadLivenessRuntime(),
  createSession: createLivenessSession,
  evidence: attemptEvidence,
  beginCheck,
  recordAttempt,
  holdUpdates,
  pollMs: 250,
});

export interface FaceCheckOptions {
  userId: number;
  retireeId: number;
  method: NewAttempt['method'];
  /** The camera to open first; the worker may switch before starting. */
  camera: CameraMode;
  /** 'auto': the check starts once everything is ready (elder screens); 'manual': start() starts it (worker). */
  start: 'auto' | 'manual';
  /** The <video> that shows the camera (a ref, there by the time begin() runs). */
  video(): HTMLVideoElement | undefined;
  /** Says the check's prompts (the app voice for the retiree). */
  speaker: Speaker;
  /** 'auto' only: a check the person stopped, or cancel() before it started. */
  onCancel?(): void;
  /** A check saved on the phone. */
  onDone?(outcome: CheckOutcome): void;
  deps?: Partial<FaceCheckDeps>;
}

export interface FaceCheck {
  phase: Accessor<FaceCheckPhase>;
  /** The engine's state while the check runs (null before its first frame). */
  state: Accessor<ChallengeState | null>;
  problem: Accessor<FaceCheckProblem | null>;
  /** The engine: loading once the files are there, ready, or error (problem() says which). */
  engine: Accessor<'idle' | 'loading' | 'ready' | 'error'>;
  camera: Accessor<CameraMode>;
  /** The last saved check (phase 'done'). */
  outcome: Accessor<CheckOutcome | null>;
  assets: Accessor<LivenessAssetsState>;
  /** Starts: waits for the files, opens the camera; with 'auto' the check follows. Call once, on mount. */
  begin(): void;
  /** 'manual': runs the check from the preview; `enrolmentPassword` seals a passed check as an in-person enrolment. */
  start(opts?: { enrolmentPassword?: string }): void;
  /** The person stops: the check ends and nothing is saved. */
  cancel(): void;
  /** After a problem, or (manual) after a saved check: from the start again. */
  retry(): void;
  /** Another camera (only before a check starts). */
  switchCamera(mode: CameraMode): void;
  /** Stops everything (also on the owner's cleanup). */
  dispose(): void;
}

/** Phases in which app updates wait (a reload would lose the person's place or the check). */
const BUSY: ReadonlySet<FaceCheckPhase> = new Set(['assets', 'camera', 'starting', 'running', 'saving']);

export function createFaceCheck(opts: FaceCheckOptions): FaceCheck {
  const deps: FaceCheckDeps = { ...realDeps(), ...opts.deps };
  const [phase, setPhase] = createSignal<FaceCheckPhase>('assets');
  const [state, setState] = createSignal<ChallengeState | null>(null);
  const [problem, setProblem] = createSignal<FaceCheckProblem | null>(null);
  const [engine, setEngine] = createSignal<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const [camera, setCameraMode] = createSignal<CameraMode>(opts.camera);
  const [outcome, setOutcome] = createSignal<CheckOutcome | null>(null);

  let handle: CameraHandle | null = null;
  let session: LivenessSession | null = null;
  let runtime: Promise<LivenessRuntime> | null = null;
  /** Each begin/retry/switch/dispose starts a new run; the continuations of an older one stop. */
  let run = 0;
  let cancelAsked = false;
  let disposed = false;
  let release: (() => void) | null = null;

  function enter(next: FaceCheckPhase) {
    setPhase(next);
    if (BUSY.has(next)) release ??= deps.holdUpdates('face check');
    else {
      release?.();
      release = null;
    }
  }

  function stopCamera() {
    handle?.stop();
    handle = null;
  }

  function fail(p: FaceCheckProblem) {
    stopCamera();
    setProblem(p);
    enter('problem');
  }

  const cameraProblem = (err: unknown): FaceCheckProblem => ({ id: `camera.${err instanceof CameraError ? err.code : 'unknown'}` });
  const engineProblem = (err: unknown): FaceCheckProblem => ({ id: err instanceof RuntimeLoadError && err.kind === 'unsupported' ? 'engine.unsupported' : 'engine.load' });

  /** The engine, loaded once per controller run (the runtime itself is one per page and retries a failed load). */
  function loadEngine(): Promise<LivenessRuntime> {
    if (!runtime) {
      setEngine('loading');
      runtime = deps.loadRuntime();
      runtime.then(
        () => setEngine('ready'),
        () => {
          setEngine('error');
          runtime = null;
        },
      );
    }
    return runtime;
  }

  async function waitForAssets(my: number): Promise<boolean> {
    deps.prepareAssets();
    // A download that needs a person (a full phone) shows as such; its retry carries on from here.
    while (my === run && deps.assets().state !== 'ready') await new Promise((r) => setTimeout(r, deps.pollMs));
    return my === run;
  }

  async function prepare(): Promise<void> {
    const my = ++run;
    stopCamera();
    setProblem(null);
    setState(null);
    cancelAsked = false;
    enter('assets');
    if (!(await waitForAssets(my))) return;
    enter('camera');
    const engineP = loadEngine();
    engineP.catch(() => undefined);
    let opened: CameraHandle;
    try {
      opened = await deps.openCamera(camera());
    } catch (err) {
      if (my === run) fail(cameraProblem(err));
      return;
    }
    if (my !== run) return opened.stop();
    handle = opened;
    try {
      const video = opts.video();
      if (!video) throw new CameraError('unknown', 'no preview element');
      await deps.attachCamera(opened, video);
    } catch (err) {
      if (my === run) fail(cameraProblem(err));
      return;
    }
    if (my !== run) return;
    try {
      await engineP;
    } catch (err) {
      if (my === run) fail(engineProblem(err));
      return;
    }
    if (my !== run) return;
    if (opts.start === 'auto') await check(my, null);
    else enter('ready');
  }

  async function check(my: number, enrolmentPassword: string | null): Promise<void> {
    let password = enrolmentPassword;
    try {
      enter('starting');
      setState(null);
      setOutcome(null);
      cancelAsked = false;
      let challenge: CheckChallenge;
      let outcomeP: Promise<LivenessOutcome>;
      try {
        const rt = await loadEngine();
        challenge = await deps.beginCheck(opts.userId);
        if (my !== run) return;
        if (!handle) throw new CameraError('unknown', 'camera not open');
        session = await deps.createSession({
          runtime: rt,
          camera: handle,
          video: opts.video()!,
          sequence: challenge.sequence,
          ...(challenge.id ? { challengeId: challenge.id } : {}),
          speaker: opts.speaker,
          onUpdate: ({ state: st }) => {
            if (my === run) setState(st);
          },
        });
        outcomeP = session.done;
      } catch (err) {
        if (my === run) fail(err instanceof CameraError ? cameraProblem(err) : engineProblem(err));
        return;
      }
      if (my !== run) return session.cancel();
      // Cancel was pressed while the session was starting.
      if (cancelAsked) session.cancel();
      enter('running');
      let done: LivenessOutcome;
      try {
        done = await outcomeP;
      } catch {
        if (my === run) fail({ id: 'engine.load' });
        return;
      } finally {
        session = null;
      }
      if (my !== run) return;
      if (done.result.verdict === 'abandoned' && done.result.reason === 'user_cancelled') return stopped();
      stopCamera();
      enter('saving');
      const sign = password;
      password = null;
      let saved: CheckOutcome;
      try {
        saved = await save(done, challenge, sign);
      } catch (err) {
        if (my === run) fail(err instanceof StorageFullError ? { id: 'storage' } : { id: 'save', reason: err instanceof Error ? err.message : String(err) });
        return;
      }
      // Saved all the same when the screen went away meanwhile; nobody is left to tell.
      if (my !== run) return;
      setOutcome(saved);
      enter('done');
      opts.onDone?.(saved);
    } finally {
      password = null;
    }
  }

  /** The person stopped the check: not an attempt (decision 038). */
  function stopped() {
    setState(null);
    if (opts.start === 'auto') {
      stopCamera();
      opts.speaker.cancel();
      ++run;
      enter('cancelled');
      opts.onCancel?.();
    } else if (handle) enter('ready');
    else void prepare();
  }

  /**
   * Saves the check: with its evidence (built here, the one place), sealed as an enrolment when
   * asked and possible; without the signature when the phone has no key yet; with the result
   * alone when the phone refuses the evidence. Only a full phone (StorageFullError) loses it.
   */
  async function save(done: LivenessOutcome, challenge: CheckChallenge, password: string | null): Promise<CheckOutcome> {
    const base: Omit<NewAttempt, 'midWrite'> = { userId: opts.userId, retireeId: opts.retireeId, method: opts.method, challenge, result: done.result };
    let evidence: Evidence | null = null;
    try {
      evidence = await deps.evidence(done);
    } catch {
      evidence = null;
    }
    const passed = done.result.verdict === 'passed';
    let enrolmentNotSealed: CheckOutcome['enrolmentNotSealed'] = null;
    // Only a passed check with a key frame is sealed; a check that did not pass seals nothing.
    let sign: string | null = null;
    if (password && passed) {
      if (evidence?.frames.length) sign = password;
      else enrolmentNotSealed = 'noFrame';
    }
    const full = evidence ? { ...base, frames: evidence.frames, audio: evidence.audio } : null;
    if (full) {
      if (sign) {
        try {
          const attemptId = await deps.recordAttempt({ ...full, enrolmentPassword: sign });
          return { result: done.result, attemptId, evidenceDropped: false, enrolmentNotSealed };
        } catch (err) {
          if (err instanceof StorageFullError) throw err;
          // Never lose the check for the signature: it is then an ordinary one.
          enrolmentNotSealed = err instanceof NoSignatureKeyError ? 'noKey' : 'noFrame';
        } finally {
          sign = null;
        }
      }
      try {
        const attemptId = await deps.recordAttempt(full);
        return { result: done.result, attemptId, evidenceDropped: false, enrolmentNotSealed };
      } catch (err) {
        if (err instanceof StorageFullError) throw err;
        // Evidence the phone (and the server) would refuse: keep the result alone.
      }
    }
    const attemptId = await deps.recordAttempt(base);
    return { result: done.result, attemptId, evidenceDropped: true, enrolmentNotSealed };
  }

  function dispose() {
    if (disposed) return;
    disposed = true;
    ++run;
    session?.cancel();
    session = null;
    stopCamera();
    opts.speaker.cancel();
    release?.();
    release = null;
  }
  if (getOwner()) onCleanup(dispose);

  return {
    phase,
    state,
    problem,
    engine,
    camera,
    outcome,
    assets: deps.assets,
    begin: () => void prepare(),
    start(o = {}) {
      if (phase() !== 'ready') return;
      void check(run, o.enrolmentPassword ?? null);
    },
    cancel() {
      const p = phase();
      if (p === 'running' && session) return session.cancel();
      if (p === 'starting') {
        cancelAsked = true;
        return;
      }
      if (p === 'saving') return;
      if (opts.start === 'auto') {
        ++run;
        stopCamera();
        opts.speaker.cancel();
        enter('cancelled');
        opts.onCancel?.();
      }
    },
    retry: () => void prepare(),
    switchCamera(mode) {
      if (phase() === 'starting' || phase() === 'running' || phase() === 'saving') return;
      setCameraMode(mode);
      void prepare();
    },
    dispose,
  };
}
