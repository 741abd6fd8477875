// The "read 4 digits" audio clip: evidence for a reviewer, never needed to pass. The microphone is
// asked for once, before the check starts (only when the sequence has read_digits), so no
// permission dialog pops up in the middle of an instruction; if it is refused or missing the check
// runs the same. Recording runs from the read_digits prompt until the step passes (or the check
// ends), capped at MAX_AUDIO_MS, as Opus at 24 kbit/s: ~3 KB a second, well under the 40 KB upload
// limit.

/** Preferred containers, most compact first; Safari only has audio/mp4 (AAC). */
export const AUDIO_MIME_CANDIDATES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/mp4'] as const;
export const AUDIO_BITS_PER_SECOND = 24_000;
export const MAX_AUDIO_MS = 12_000;
/** Shorter clips are not kept (the upload rules reject < 300 ms). */
export const MIN_AUDIO_MS = 300;

/** not_recorded: the microphone was open but the check ended before the read_digits step. */
export type AudioStatus = 'not_needed' | 'not_recorded' | 'recorded' | 'denied' | 'unavailable' | 'unsupported' | 'too_short';

export interface AudioClip {
  blob: Blob;
  durationMs: number;
  /** performance.now() when recording began: the frames' clock, so the voice can be set against the mouth. */
  startedAt: number;
}

export interface AudioCapture {
  readonly status: AudioStatus;
  /** Begin a recording (a previous unfinished one is discarded). */
  start(): void;
  /** Finish the current recording and keep it. */
  stop(): Promise<void>;
  /** The last kept recording, if any. */
  clip(): AudioClip | null;
  /** Release the microphone. */
  close(): void;
}

export function pickAudioMime(isSupported: (type: string) => boolean): string | null {
  for (const t of AUDIO_MIME_CANDIDATES) if (isSupported(t)) return t;
  return null;
}

const inert = (status: AudioStatus): AudioCapture => ({ status, start: () => undefined, stop: async () => undefined, clip: () => null, close: () => undefined });

export async function openAudioCapture(): Promise<AudioCapture> {
  if (typeof MediaRecorder === 'undefined' || !navigator.mediaDevices?.getUserMedia) return inert('unsupported');
  const mime = pickAudioMime((t) => MediaRecorder.isTypeSupported(t));
  if (!mime) return inert('unsupported');
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true }, video: false });
  } catch (err) {
    const name = (err as { name?: string }).name;
    return inert(name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'unavailable');
  }

  let status: AudioStatus = 'not_recorded';
  let recorder: MediaRecorder | null = null;
  let kept: AudioClip | null = null;
  let capTimer: ReturnType<typeof setTimeout> | undefined;

  const finish = (r: MediaRecorder, chunks: Blob[], startedAt: number, keep: { value: boolean }) =>
    new Promise<void>((resolve) => {
      r.addEventListener(
        'stop',
        () => {
          const durationMs = Math.round(performance.now() - startedAt);
          if (keep.value) {
            if (durationMs < MIN_AUDIO_MS) status = kept ? status : 'too_short';
            else {
              kept = { blob: new Blob(chunks, { type: r.mimeType || mime }), durationMs, startedAt };
              status = 'recorded';
            }
          }
          resolve();
        },
        { once: true },
      );
    });

  let pending: { r: MediaRecorder; done: Promise<void>; keep: { value: boolean } } | null = null;

  const stopCurrent = async (keepIt: boolean) => {
    clearTimeout(capTimer);
    const p = pending;
    pending = null;
    recorder = null;
    if (!p) return;
    p.keep.value = keepIt;
    if (p.r.state !== 'inactive') p.r.stop();
    await p.done;
  };

  return {
    get status() {
      return status;
    },
    start() {
      void stopCurrent(false);
      const chunks: Blob[] = [];
      let r: MediaRecorder;
      try {
        r = new MediaRecorder(stream, { mimeType: mime, audioBitsPerSecond: AUDIO_BITS_PER_SECOND });
      } catch {
        status = 'unsupported';
        return;
      }
      r.addEventListener('dataavailable', (e) => {
        if (e.data.size > 0) chunks.push(e.data);
      });
      const keep = { value: true };
      const startedAt = performance.now();
      pending = { r, keep, done: finish(r, chunks, startedAt, keep) };
      recorder = r;
      r.start();
      capTimer = setTimeout(() => void (recorder === r ? stopCurrent(true) : undefined), MAX_AUDIO_MS);
    },
    stop: () => stopCurrent(true),
    clip: () => kept,
    close() {
      void stopCurrent(false);
      for (const t of stream.getTracks()) t.stop();
    },
  };
}
