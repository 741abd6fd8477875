// Every threshold of the liveness engine in one place. Angles in degrees, times in ms, blink and
// jaw values are blendshape scores (0..1). The evidence for each number (measured on the traces
// in ../shared/fixtures/video/traces) is in docs/liveness.md; tests replay those traces.

const DEFAULTS = {
  baseline: {
    /** Frontal, still frames needed; at 15 fps this is ~8 frames. */
    windowMs: 500,
    minFrames: 4,
    /** A longer gap breaks the window (the model's first inference alone takes ~400 ms). */
    maxGapMs: 450,
    maxAbsYaw: 20,
    maxAbsPitch: 25,
    maxAbsRoll: 20,
    /** Still enough: turn_up_man_beard raises his head 7° over his only frontal half-second. */
    maxYawRange: 6,
    maxPitchRange: 8,
    /** No blink inside the window. */
    maxBlinkRange: 0.25,
    maxJawRange: 0.1,
    /** Mouth not open at rest. */
    maxJaw: 0.3,
    /** "Eyes look closed" (blink_eyes_closed_man 0-1 s: 0.77-0.82 / EAR 0.011-0.016). */
    closedBlink: 0.65,
    closedEar: 0.06,
    /** After this long with otherwise good frames, accept eyes that look closed (flagged). */
    eyesClosedMaxWaitMs: 6000,
  },
  /** Frames beyond these relative angles are not "facing the camera" for eye/mouth actions. */
  frontal: { maxYaw: 15, maxPitch: 15 },
  turn: {
    threshold: 20,
    /** Hold continues while above this (hysteresis against frame noise). */
    release: 15,
    /** Must first be below this in the asked direction after the prompt (start after prompt). */
    rearm: 12,
    holdMs: 300,
    minFramesBeyond: 2,
  },
  lookUp: { threshold: 15, release: 11, rearm: 8, holdMs: 300, maxYaw: 15 },
  openMouth: { rise: 0.35, release: 0.25, rearm: 0.15, holdMs: 500, maxYaw: 20, maxPitch: 20 },
  mouthCycles: { rise: 0.15, fall: 0.06, minCycles: 3, windowMs: 6000, maxYaw: 20, maxPitch: 20 },
  blink: {
    /** Closed: blendshape rose this much over the open level AND EAR fell to this ratio. */
    closeRise: 0.2,
    closeEarRatio: 0.45,
    /** Open again: either signal back near the open level. */
    openRise: 0.12,
    openEarRatio: 0.7,
    /** "Fully closed", used to time slow blinks. */
    fullRise: 0.3,
    fullEarRatio: 0.35,
    /** Below this open-eye EAR the ratio is noise (glasses looking down); blendshape alone then. */
    minUsableEar: 0.08,
    soloRise: 0.3,
    /** A closure longer than this is not an answer to "blink" (eyes just closed, dozing). */
    maxClosedMs: 4000,
    /** One slow blink (fully closed this long) is an action on its own... */
    slowBlinkMs: 500,
    /** ...otherwise two blinks, the second starting within this long after the first reopened. */
    pairGapMs: 4000,
    /** Open-eye reference drift (frames clearly open only). */
    refTauMs: 3000,
  },
  face: {
    /** Face missing this long during the actions restarts from the baseline. */
    lostRestartMs: 1500,
    /** ...unless it vanished while turned: FaceLandmarker loses full profiles (turn_up_man_beard 2.0 s). */
    profileLostRestartMs: 3000,
    profileYaw: 20,
    /** Between two detections this close in time, a jump this big is a different face. */
    jumpWithinMs: 300,
    jumpCentre: 0.3,
    jumpSizeRatio: 1.8,
    /** Several faces for this long (cumulative during the actions) fails the check. */
    multipleFacesFailMs: 5000,
  },
  timing: {
    repromptMs: 9000,
    totalTimeoutMs: 120_000,
    /** Frames further apart than this are treated as a gap with no face. */
    maxFrameGapMs: 1000,
  },
  quality: {
    /** Face box width as a fraction of the image width. */
    farBlocking: 0.12,
    farAdvice: 0.18,
    close: 0.7,
    /** Face centre must be inside this band of the image. */
    centreMin: 0.2,
    centreMax: 0.8,
    /** Part of the face box outside the image, as a fraction of the box. */
    cutFraction: 0.12,
    darkFace: 45,
    darkFrame: 30,
    brightFace: 225,
    /** Backlit: face this much darker than the whole frame, with a bright frame. */
    backlitRatio: 0.6,
    backlitFrame: 110,
    /** A face gone within this long after being seen turned this far (absolute yaw) is a profile. */
    profileYaw: 25,
    profileMs: 3000,
    /** Head speed that asks to hold still during the baseline. */
    stillDegPerSec: 60,
    /** A state must persist this long before it is shown, and ok this long before it clears. */
    enterMs: 600,
    exitMs: 500,
    /** A shown prompt stays at least this long (calm UI, speech can finish). */
    minShowMs: 1500,
  },
} as const;

type Widen<T> = { readonly [K in keyof T]: T[K] extends number ? number : Widen<T[K]> };
/** Same shape as the defaults with plain numbers, so tests and benches can pass variants. */
export type LivenessParams = Widen<typeof DEFAULTS>;
export const LIVENESS_PARAMS: LivenessParams = DEFAULTS;
