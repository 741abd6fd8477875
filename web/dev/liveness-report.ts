// What the liveness harness page (web/dev/liveness.tsx) publishes on `window.__liveness` and in
// the DOM (#liveness-report): read by the e2e tests, the CLI (scripts/liveness-cli.ts) and the
// benchmark (bench/liveness.ts). Plain JSON.
import type { ActionId, LivenessResult, ReasonCode, Verdict } from '../../shared/liveness.ts';
import type { SessionStats } from '../liveness/runtime/session.ts';

export interface StepReport {
  action: ActionId;
  passed: boolean;
  /** From the step's prompt to its pass (or to the end of the check). */
  durationMs: number;
  /** Check time (since the first analysed frame) at which the step passed. */
  passedAtMs: number | null;
  /**
   * Time since the camera was requested at which the step passed. Chromium's fake camera starts its
   * file when the camera opens and loops it, so `passedAtCameraMs % clipLength` is the clip position
   * (to within the camera's start-up time).
   */
  passedAtCameraMs: number | null;
  peak: number;
  count?: number;
  /** Set when this step stood in for the asked action (blink for eyes with no usable blink, issue 18 §1; the person's "换一个动作", issue 17 §3). */
  replaces?: ActionId;
}

export interface KeyFrameReport {
  bytes: number;
  width: number;
  height: number;
  quality: number;
  score: number;
  /** Starts with FF D8 FF and ends with FF D9. */
  jpegMagic: boolean;
  /** Size the browser decoded it to (proves it is a valid image). */
  decoded: { width: number; height: number } | null;
  /** The JPEG itself, base64: the spoof bench measures it as the server does (server/sync/spoof-check.ts). */
  base64: string;
}

export interface CheckReport {
  verdict: Verdict;
  reason: ReasonCode | null;
  sequence: { actions: ActionId[]; digits?: string; seed: number };
  steps: StepReport[];
  durationMs: number;
  baselineMs: number;
  restarts: number;
  inference: LivenessResult['inference'] & {
    inWorker: boolean;
    requestedDelegate: string;
    gpuNote: string | null;
    fps: number;
    maxMs: number;
    workMedianMs: number;
    workP95Ms: number;
    grabMedianMs: number;
    grabP95Ms: number;
    skippedFrames: number;
    frameSize: { width: number; height: number } | null;
  };
  /** From starting this check to its first analysed frame (includes loading the runtime for the first check). */
  firstResultMs: number;
  /**
   * Time since the camera was requested at which the check ended: with the clip's length, how many
   * times the fake camera had looped by the verdict (the CLI's `looped`).
   */
  cameraEndMs: number;
  keyFrames: KeyFrameReport[];
  audio: { status: SessionStats['audio']; bytes: number; type: string; durationMs: number; startCameraMs: number | null } | null;
  /** jawOpen per analysed frame, at camera time (ms since the camera was requested): the voice tests read it. */
  mouthTrack: { cameraMs: number; jaw: number | null }[];
  spoken: string[];
  timeline: SessionStats['timeline'];
  result: LivenessResult;
}

export interface HarnessReport {
  status: 'loading' | 'running' | 'done' | 'error';
  error?: { kind: string; message: string };
  camera: { mode: 'front' | 'rear'; width: number; height: number; facingMode: string | null } | null;
  runtime: {
    inWorker: boolean;
    delegate: string;
    requested: string;
    gpuNote: string | null;
    /** Worker start to ready (wasm + model), main-thread clock. */
    loadMs: number;
    initMs: number;
    /** Workers started on this page (stays 1 across several checks). */
    loadCount: number;
  } | null;
  /** Page navigation start to the first analysed frame of the first check. */
  firstResultSincePageMs: number | null;
  /** Runtime load start to the first analysed frame (the "warm start" when the HTTP cache is warm). */
  startToFirstResultMs: number | null;
  checks: CheckReport[];
  longTasks: { count: number; totalMs: number; maxMs: number; duringChecks: number; durations: number[] };
  /** Cross-origin requests the Worker refused (MediaPipe's usage logger). */
  blockedRequests: string[];
}
