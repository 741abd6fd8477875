// Synthetic attempts for tests, benchmarks and the test-only sync harness page: a LivenessResult
// that answers a given challenge, JPEG-shaped key frames and an Ogg-shaped audio clip of chosen
// sizes. Never used by the app itself.
import { generateSequence, LIVENESS_ENGINE_VERSION, type LivenessResult, type Verdict } from './liveness.ts';

export function syntheticResult(challenge: { id?: string | null; seed: number }, verdict: Verdict = 'passed'): LivenessResult {
  const seq = generateSequence(challenge.seed);
  const passed = verdict === 'passed';
  const reason = passed ? null : verdict === 'failed' ? 'face_changed' : verdict === 'timed_out' ? 'timeout_action' : 'user_cancelled';
  const result: LivenessResult = {
    engineVersion: LIVENESS_ENGINE_VERSION,
    seed: challenge.seed >>> 0,
    verdict,
    reason,
    durationMs: 9_500,
    baselineMs: 1_200,
    steps: seq.actions.map((action, i) => {
      const step: LivenessResult['steps'][number] = { action, passed: passed || i === 0, durationMs: 2_100 + i * 300, peak: 18.5 };
      if (action === 'blink' || action === 'read_digits') step.count = 2;
      return step;
    }),
    restarts: [],
    quality: [{ state: 'ok', atMs: 0, durationMs: 9_500 }],
    inference: { frames: 280, medianMs: 21.5, p95Ms: 38.2, delegate: 'CPU' },
  };
  if (challenge.id) result.challengeId = challenge.id;
  if (seq.digits !== undefined) {
    result.digits = seq.digits;
    // What a phone measures when a person reads the digits aloud (web/liveness/voice).
    result.voice = { outcome: 'heard', syllables: 5, sync: 0.52, lagMs: 40, floorDb: -61, peakDb: -24, windowMs: 5200 };
  }
  return result;
}

function fill(bytes: Uint8Array, from: number, to: number, seed: number) {
  let x = seed >>> 0 || 1;
  for (let i = from; i < to; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    // Entropy-coded data never holds a bare 0xFF; keep it well-formed.
    bytes[i] = (x >>> 0) % 255;
  }
}

/** A JPEG-shaped byte string: SOI, APP0, SOF0 with the given pixel size, SOS, filler, EOI. */
export function syntheticJpeg(width = 240, height = 320, size = 10_000, seed = 1): Uint8Array {
  const head = [
    0xff, 0xd8,
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
    0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
    0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00,
  ];
  const bytes = new Uint8Array(Math.max(size, head.length + 2));
  bytes.set(head, 0);
  fill(bytes, head.length, bytes.length - 2, seed);
  bytes[bytes.length - 2] = 0xff;
  bytes[bytes.length - 1] = 0xd9;
  return bytes;
}

/** An Ogg-shaped clip ('OggS' magic and filler). */
export function syntheticOgg(size = 12_000, seed = 7): Uint8Array {
  const bytes = new Uint8Array(size);
  fill(bytes, 0, size, seed);
  bytes.set([0x4f, 0x67, 0x67, 0x53], 0);
  return bytes;
}
