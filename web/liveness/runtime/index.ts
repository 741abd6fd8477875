// Public surface of the liveness runtime (browser only): camera, the Worker-hosted model, one
// check at a time, evidence. The check screen imports from here; the engine's pure logic is
// ../index.ts. See docs/liveness.md "Runtime".
export { loadLivenessRuntime, runtimeLoadCount, RuntimeLoadError, MODEL_URL, WASM_BASE } from './engine.ts';
export type { LivenessRuntime, RuntimeOptions } from './engine.ts';
export { attachCamera, cameraConstraints, CameraError, classifyCameraError, facingModeFor, openCamera } from './camera.ts';
export type { CameraErrorCode, CameraHandle, CameraMode } from './camera.ts';
export { attemptEvidence, createLivenessSession } from './session.ts';
export type { KeyFrameInfo, LivenessOutcome, LivenessSession, LivenessSessionOptions, SessionStats, TimelineEntry } from './session.ts';
export { checkedSequence, localSequence, SequenceError } from './sequence.ts';
export { createRecordingSpeaker, createSystemSpeaker, silentSpeaker } from './speech.ts';
export type { Speaker, SpeakVars } from './speech.ts';
export { RUNTIME_MESSAGES, runtimeMessage } from './messages.ts';
export type { RuntimeMessageId } from './messages.ts';
export { MAX_KEYFRAME_BYTES, KEYFRAME_SIZE } from './evidence.ts';
export { openAudioCapture } from './audio.ts';
export type { AudioCapture, AudioStatus } from './audio.ts';
export type { DelegatePreference, RuntimeInfo } from './protocol.ts';
