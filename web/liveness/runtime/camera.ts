// The camera for the liveness check. Self mode: the front camera, preview mirrored (CSS only: the
// model always gets the raw frame). Assist mode: the rear camera, a helper films the retiree;
// preview not mirrored. No size is requested: a width/height constraint makes Chromium crop and
// scale a portrait camera (480×640 → 480×480), and the default (usually 640×480) is what the model
// wants anyway; session.ts scales larger frames down before inference.
export type CameraMode = 'front' | 'rear';

export type CameraErrorCode = 'permission_denied' | 'no_camera' | 'camera_busy' | 'insecure_context' | 'unsupported' | 'unknown';

export class CameraError extends Error {
  override name = 'CameraError';
  constructor(
    readonly code: CameraErrorCode,
    /** The browser's error name (NotAllowedError, …), for logs. */
    readonly errorName: string,
  ) {
    super(`camera: ${code} (${errorName})`);
  }
}

export interface CameraHandle {
  stream: MediaStream;
  track: MediaStreamTrack;
  mode: CameraMode;
  /** Mirror the preview (front camera)? Apply with CSS (`transform: scaleX(-1)`) only. */
  mirrorPreview: boolean;
  /** What the browser reports: actual width/height/facingMode (facingMode may be absent on laptops). */
  settings(): MediaTrackSettings;
  /** Called once if the camera stops by itself (unplugged, taken by another app, permission revoked). Returns an unsubscribe. */
  onEnded(fn: () => void): () => void;
  stop(): void;
}

export const facingModeFor = (mode: CameraMode): 'user' | 'environment' => (mode === 'front' ? 'user' : 'environment');

/** The getUserMedia constraints we use: facing mode only (ideal, so a one-camera laptop still works), no size. */
export function cameraConstraints(mode: CameraMode): MediaStreamConstraints {
  return { audio: false, video: { facingMode: { ideal: facingModeFor(mode) } } };
}

/** Maps a getUserMedia failure to what the person can do about it. */
export function classifyCameraError(err: unknown): CameraErrorCode {
  const name = (err as { name?: string } | null)?.name ?? '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'permission_denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError':
      return 'no_camera';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'camera_busy';
    case 'TypeError':
      return 'unsupported';
    default:
      return 'unknown';
  }
}

export async function openCamera(mode: CameraMode): Promise<CameraHandle> {
  if (typeof window !== 'undefined' && window.isSecureContext === false) throw new CameraError('insecure_context', 'not a secure context');
  if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) throw new CameraError('unsupported', 'no mediaDevices.getUserMedia');
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia(cameraConstraints(mode));
  } catch (err) {
    throw new CameraError(classifyCameraError(err), (err as { name?: string }).name ?? String(err));
  }
  const track = stream.getVideoTracks()[0];
  if (!track) {
    for (const t of stream.getTracks()) t.stop();
    throw new CameraError('no_camera', 'stream without a video track');
  }
  const endedFns = new Set<() => void>();
  let stopped = false;
  track.addEventListener('ended', () => {
    if (stopped) return;
    const fns = [...endedFns];
    endedFns.clear();
    for (const fn of fns) fn();
  });
  return {
    stream,
    track,
    mode,
    mirrorPreview: mode === 'front',
    settings: () => track.getSettings(),
    onEnded(fn) {
      endedFns.add(fn);
      return () => endedFns.delete(fn);
    },
    stop() {
      stopped = true;
      for (const t of stream.getTracks()) t.stop();
    },
  };
}

/**
 * Attaches the camera to a <video> (the preview, or a hidden one) and waits until it plays.
 * The caller mirrors the preview with CSS when `camera.mirrorPreview`.
 */
export async function attachCamera(camera: CameraHandle, video: HTMLVideoElement): Promise<void> {
  video.muted = true;
  video.playsInline = true;
  video.autoplay = true;
  video.srcObject = camera.stream;
  if (video.readyState < 2) {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new CameraError('camera_busy', 'no video frames within 10 s')), 10_000);
      video.addEventListener(
        'loadeddata',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }
  await video.play().catch(() => undefined); // autoplay of a muted stream is allowed; play() may still reject spuriously
}
