// Public surface of the liveness engine for the runtime (camera + MediaPipe Worker + UI).
// Everything here is pure: feed FrameSignals in time order, read events and state.
export { computeFrameSignals, faceSharpness, headPoseFromMatrix, lumaStats, userTurnDirection } from './signals.ts';
export type { FaceBox, FaceSignals, FrameInput, FrameSignals, RawFaceLandmarkerResult, RgbaImage, TurnDirection } from './signals.ts';
export { createChallenge } from './challenge.ts';
export type { AbortReason, Challenge, ChallengeConfig, ChallengeEvent, ChallengePhase, ChallengeState } from './challenge.ts';
export { PROMPTS, formatDigits, promptText } from './prompts.ts';
export type { Lang, PromptId } from './prompts.ts';
export { keyFrameScore, createKeyFramePicker } from './keyframes.ts';
export type { KeyFrame } from './keyframes.ts';
export { LIVENESS_PARAMS } from './params.ts';
export type { LivenessParams } from './params.ts';
export type { Baseline } from './baseline.ts';
