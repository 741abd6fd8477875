// The server's own look at spoof risk (issue 18 §5, decision 068). The phone's score is a claim like
// its verdict: the score is computed again here from the inputs it sent (shared/spoof-risk.ts), and
// the texture is measured again on the key frames it uploaded, whichever is worse counting. What
// the key frames cannot show (the bezel beside the face, a flat turn over time) comes from the
// phone's inputs only; a phone that sends none is scored on its key frames alone.
import jpeg from 'jpeg-js';
import * as v from 'valibot';
import { keyFrameTexture, type RgbaImage } from '../../shared/spoof-signs.ts';
import { SPOOF_PARAMS, SpoofRisk, spoofScore, type SpoofAssessment, type SpoofInputs } from '../../shared/spoof-risk.ts';
import type { LivenessResult } from '../../shared/liveness.ts';

/**
 * Key-frame texture where the sign starts and where it is full. Lower than on the phone's frames:
 * a key frame is scaled to 256 px and JPEG-compressed, both of which soften it.
 */
export const KEY_FRAME_TEXTURE = { hi: 0.42, lo: 0.3 } as const;

function decode(bytes: Uint8Array): RgbaImage | null {
  try {
    // prepare.ts has already checked the magic bytes and the pixel size (≤ 1280 px a side).
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 2, maxMemoryUsageInMB: 64 });
    return { data: img.data, width: img.width, height: img.height };
  } catch {
    return null;
  }
}

const median = (xs: number[]): number | null => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The key frames' texture on the phone's scale, so one set of texture limits scores both. */
export function keyFrameTextureOnPhoneScale(t: number): number {
  const p = SPOOF_PARAMS.texture;
  const k = KEY_FRAME_TEXTURE;
  return p.lo + ((t - k.lo) * (p.hi - p.lo)) / (k.hi - k.lo);
}

export function spoofCheck(result: Pick<LivenessResult, 'spoofRisk'>, keyFrames: readonly Uint8Array[]): SpoofAssessment {
  const textures = keyFrames.map(decode).flatMap((img) => {
    const t = img ? keyFrameTexture(img) : null;
    return t === null ? [] : [t];
  });
  const kf = median(textures);
  const claimed = result.spoofRisk ?? null;
  const base: SpoofInputs = claimed?.inputs ?? { frames: textures.length, texture: null, bezel: null, planarity: null, sizeJumps: 0 };
  // The softer of the two textures counts: a phone cannot clean up what its key frames show.
  const kfOnPhoneScale = kf === null ? null : keyFrameTextureOnPhoneScale(kf);
  const texture = base.texture === null ? kfOnPhoneScale : kfOnPhoneScale === null ? base.texture : Math.min(base.texture, kfOnPhoneScale);
  const recomputed = spoofScore({ ...base, texture: texture === null ? null : Math.max(0, Math.round(texture * 1e4) / 1e4), frames: Math.max(base.frames, textures.length) });
  return { ...recomputed, inputs: base, keyFrameTexture: kf === null ? null : Math.round(kf * 1e4) / 1e4, phoneScore: claimed?.score ?? null };
}

/** The same look at a stored check (the office's review): its stored claim, as JSON, and its key frames. Null without either. */
export function storedSpoofCheck(stored: { claimed: string | null; frames: readonly Uint8Array[] }): SpoofAssessment | null {
  let claimed: SpoofRisk | undefined;
  if (stored.claimed) {
    const parsed = v.safeParse(SpoofRisk, JSON.parse(stored.claimed));
    if (parsed.success) claimed = parsed.output;
  }
  if (!claimed && !stored.frames.length) return null;
  return spoofCheck(claimed ? { spoofRisk: claimed } : {}, stored.frames);
}
