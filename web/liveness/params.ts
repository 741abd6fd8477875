// Every threshold of the liveness engine in one place. Angles in degrees, times in ms, blink and
// jaw values are blendshape scores (0..1). The evidence for each number (measured on the traces
// in ../shared/fixtures/video/traces) is in docs/liveness.md; tests replay those traces.

const DEFAULTS = {
  baseline: {
    /** Frontal, still frames over this long (time, not a count of frames: see maxGapMs). */
    windowMs: 500,
    /**
     * Frames further apart than this break the window (the model's first inference alone takes
     * ~410 ms, and its frame pair is as good a look as any). What a sparse window could hide is
     * caught by maxDegPerSec, which sums the movement between frames over time.
     */
    maxGapMs: 450,
    /**
     * "Look straight" means straight: beyond this the person is guided to face the camera
     * (issue 18: a night-time driver's baseline at 15.6° made his turn to that side need 35.6°).
     * The fixtures rest within ±7°; neutral_woman drifts to −16.7° only after 4 s.
     */
    maxAbsYaw: 10,
    maxAbsPitch: 25,
    maxAbsRoll: 20,
    /** Still enough: turn_up_man_beard raises his head 7° over his only frontal half-second. */
    maxYawRange: 6,
    maxPitchRange: 8,
    /**
     * Head speed over time, which a few samples cannot hide the way they hide a range: the mean
     * over the window (path / time), and between any two frames ≥ 200 ms apart (shorter steps
     * are mostly jitter of landmarks and frame times). turn_up_man_beard's only still half-second: 14°/s, steps ≤ 21°/s.
     */
    maxDegPerSec: 20,
    maxStepDegPerSec: 25,
    /**
     * No blink inside the window, an older person's shallow one included (it rises ~0.25: issue
     * 18); turn_up_man_beard's open eyes, looking down through glasses, vary up to 0.13 in his window.
     */
    maxBlinkRange: 0.18,
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
    /** And this far from the camera's axis (absolute yaw toward the asked side): a real turn. */
    minAbs: 15,
    /** Hold continues while above this (hysteresis against frame noise). */
    release: 15,
    /** Must first be below this in the asked direction after the prompt (start after prompt). */
    rearm: 12,
    holdMs: 300,
    minFramesBeyond: 2,
    /** Frames further apart than this restart the hold (defaults to timing.maxFrameGapMs). */
    maxGapMs: 400,
  },
  lookUp: { threshold: 15, release: 11, rearm: 8, holdMs: 300, maxYaw: 15, maxGapMs: 400 },
  /**
   * Talking opens the mouth ≥ 0.35 for at most 200 ms; a 500 ms hold seen through a 400 ms stall
   * let it pass at 10 fps (issue 18). 250 ms = 8 fps with one frame lost.
   */
  openMouth: { rise: 0.35, release: 0.25, rearm: 0.15, holdMs: 500, maxYaw: 20, maxPitch: 20, maxGapMs: 250 },
  mouthCycles: { rise: 0.15, fall: 0.06, minCycles: 3, windowMs: 6000, maxYaw: 20, maxPitch: 20, maxGapMs: 400 },
  blink: {
    /**
     * Closed: the blink score rose this much over the person's own open level, and at least
     * noiseK times their own frame-to-frame noise measured in the baseline. A 72-year-old's real
     * blink rises 0.26 (issue 18); the fixtures' blinks at 0.4 of their depth rise 0.15-0.28.
     */
    closeRise: 0.15,
    noiseK: 4,
    /**
     * EAR supports, it does not gate: a rise counts when the EAR fell to this ratio of open (the
     * 72-year-old reaches only 0.60) or when the rise alone is soloRise.
     */
    supportEarRatio: 0.8,
    soloRise: 0.3,
    /**
     * A blink closes fast: the rise must also be reached from the most open moment of this long
     * before (neutral_man_webcam's squint takes 3 s to rise 0.3; blinks close in one or two
     * frames). With no frame that recent (a stall) the closure is unknown, not a blink.
     */
    closeWithinMs: 350,
    /** Open again: either signal back near the open level. */
    openRise: 0.12,
    openEarRatio: 0.7,
    /** "Fully closed", timed for the evidence (peak and full-closure time of the blink). */
    fullRise: 0.3,
    fullEarRatio: 0.35,
    /** Below this open-eye EAR the ratio is noise (glasses looking down); blendshape alone then. */
    minUsableEar: 0.08,
    /** A closure longer than this is not an answer to "blink" (eyes just closed, dozing). */
    maxClosedMs: 4000,
    /** Open-eye reference drift (frames clearly open only). */
    refTauMs: 3000,
    /** The most a blink score reaches closed (fixtures: 0.75-0.84): what is left above the open level is the room a blink has. */
    maxClosedBlink: 0.85,
    /** Frames further apart than this: what the eye did meanwhile is unknown. */
    maxGapMs: 400,
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
    /**
     * The liveness harness, CLI and benches end a check that never passes here. The phone's own
     * check passes `untimed` and has no limit: only the person ends it (decision 076).
     */
    totalTimeoutMs: 120_000,
    /**
     * This long on one step (or on "look straight") and the check screen shows what it waits for,
     * with a moving picture, "换一个动作" and "暂停" (decision 076): after the first re-prompt
     * (repromptMs) has not helped, before a person thinks the phone is stuck.
     */
    helpAfterMs: 15_000,
    /**
     * No frame for this long is a stall: multiple-face time stops counting, and each rule's own
     * maxGapMs (at most this) restarts that rule instead of letting the gap complete it.
     */
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
