// The engine on real faces (../shared/fixtures): every genuine pair of the photos matches and no
// impostor pair does, with the production thresholds and decideMatch; key frames cut from the clips
// as the phone cuts them match across clips of the same person and not across people.
// The model loads once for the file; each image is described once (readings are cached).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { HAS_SHARED, SHARED_DIR, SKIP_REASON } from '../../scripts/harness/shared-data.ts';
import { decodeFull, UnreadableImageError } from './decode.ts';
import { loadFaceModel, type FaceModel, type FaceReading } from './face-model.ts';
import { decideMatch, faceDistance } from './match-rules.ts';
import { encodeKeyframe, KEYFRAME_MAX_BYTES, keyframeFromClip, withSecondFace } from './test-keyframes.ts';

let model: FaceModel;
beforeAll(async () => {
  model = await loadFaceModel();
}, 60_000);

const grey = (w: number, h: number) => encodeKeyframe({ width: w, height: h, data: new Uint8Array(w * h * 3).fill(120) });

describe('FaceModel without fixtures', () => {
  it('loads once per thread', async () => {
    expect(await loadFaceModel()).toBe(model);
  });

  it('an image without a face: no face, no descriptor', async () => {
    for (const kind of ['photo', 'keyframe'] as const) {
      expect(await model.describe(grey(256, 256), kind)).toEqual({ faces: 0, descriptor: null, box: null, score: null });
    }
  });

  it('garbage and cut-off files: UnreadableImageError', async () => {
    await expect(model.describe(new TextEncoder().encode('GIF89a…'), 'photo')).rejects.toBeInstanceOf(UnreadableImageError);
    await expect(model.describe(new Uint8Array(0), 'keyframe')).rejects.toThrow('The file is empty');
    const jpeg = grey(64, 64);
    await expect(model.describe(jpeg.subarray(0, jpeg.length / 2), 'keyframe')).rejects.toThrow(/truncated/);
  });

  it('leaks no tensors when it finds no face or cannot read the file', async () => {
    const img = grey(96, 96);
    const before = model.numTensors();
    for (let i = 0; i < 4; i++) {
      await model.describe(img, i % 2 ? 'photo' : 'keyframe');
      await model.describe(new Uint8Array([0xff, 0xd8, 0xff, 0]), 'photo').catch(() => undefined);
    }
    expect(model.numTensors()).toBe(before);
  });
});

describe.skipIf(!HAS_SHARED)(`FaceModel on fixture photos and clips${HAS_SHARED ? '' : ` (${SKIP_REASON})`}`, () => {
  const photosDir = join(SHARED_DIR, 'fixtures', 'photos');
  const photos = HAS_SHARED
    ? readdirSync(photosDir)
        .sort()
        .flatMap((who) => readdirSync(join(photosDir, who)).sort().map((file) => ({ who, file, path: join(photosDir, who, file) })))
    : [];
  const readings = new Map<string, FaceReading>();

  beforeAll(async () => {
    for (const p of photos) readings.set(p.file, await model.describe(readFileSync(p.path), 'photo'));
  }, 120_000);

  it('finds one face in every photo', () => {
    expect(photos.length).toBeGreaterThanOrEqual(20);
    for (const p of photos) {
      const r = readings.get(p.file)!;
      expect(r.faces, p.file).toBeGreaterThanOrEqual(1);
      expect(r.descriptor?.length, p.file).toBe(128);
      expect(r.box!.w * r.box!.h, p.file).toBeGreaterThan(0.01);
    }
  });

  // Pairs: one photo against one photo. Genuine pairs lie 0.28–0.53 apart, impostors from 0.66; the
  // match threshold sits at 0.45 because key frames of different (Asian) men come as close as 0.48
  // (below), so a quarter of the genuine photo pairs (years apart) are "uncertain": never a mismatch.
  it('no impostor pair matches; no genuine pair is a mismatch and most match', () => {
    let genuine = 0;
    let matched = 0;
    let impostors = 0;
    for (const [i, a] of photos.entries()) {
      for (const b of photos.slice(i + 1)) {
        const v = decideMatch([readings.get(a.file)!.descriptor], [readings.get(b.file)!.descriptor!]);
        const label = `${a.file} vs ${b.file}: ${v.distance?.toFixed(3)}`;
        if (a.who === b.who) {
          genuine++;
          expect(v.decision, label).not.toBe('mismatch');
          if (v.decision === 'match') matched++;
        } else {
          impostors++;
          expect(v.decision, label).toBe('mismatch');
        }
      }
    }
    expect([genuine, impostors]).toEqual([34, 176]);
    expect(matched / genuine).toBeGreaterThanOrEqual(0.7);
  });

  // Checks: one photo against all the other photos of a person as references, as the server keeps
  // several references per retiree. Every genuine check matches; no impostor check does.
  it('every photo matches its own person\'s other photos and nobody else\'s', () => {
    const people = [...new Set(photos.map((p) => p.who))];
    for (const probe of photos) {
      for (const person of people) {
        const refs = photos.filter((p) => p.who === person && p !== probe).map((p) => readings.get(p.file)!.descriptor!);
        if (refs.length === 0) continue;
        const v = decideMatch([readings.get(probe.file)!.descriptor], refs);
        const label = `${probe.file} vs ${person}: ${v.distance?.toFixed(3)}`;
        if (person === probe.who) expect(v.decision, label).toBe('match');
        else expect(v.decision, label).not.toBe('match');
      }
    }
  });

  it('reads a PNG with transparency like the same JPEG', async () => {
    const img = decodeFull(readFileSync(photos[0]!.path));
    const png = new PNG({ width: img.width, height: img.height });
    for (let i = 0; i < img.width * img.height; i++) {
      png.data.set([img.data[i * 3]!, img.data[i * 3 + 1]!, img.data[i * 3 + 2]!, 255], i * 4);
    }
    for (let x = 0; x < img.width; x++) png.data[x * 4 + 3] = 0; // a transparent top row
    const r = await model.describe(new Uint8Array(PNG.sync.write(png)), 'photo');
    expect(faceDistance(r.descriptor!, readings.get(photos[0]!.file)!.descriptor!)).toBeLessThan(0.05);
  });

  // Key frames: [clip, second]. Seconds are where the face is frontal (fixtures/README.md).
  const frames = {
    hijabTurn0: ['turn_left_right_woman_hijab', 0.3],
    hijabTurn4: ['turn_left_right_woman_hijab', 4.4],
    hijabNod: ['nod_up_down_woman_hijab', 3.6],
    webcamMan: ['neutral_man_webcam', 1.5],
    replayMan: ['spoof_phone_replay_man_webcam', 1.2],
    mouth0: ['mouth_open_man', 0.3],
    mouth3: ['mouth_open_man', 3.5],
    selfieMan: ['talking_selfie_man', 2],
    glassesMan: ['blink_man_glasses', 2],
    avMan: ['talking_av_man', 2],
    woman: ['neutral_woman', 2],
  } as const;
  type Frame = keyof typeof frames;
  const who: Record<Frame, string> = {
    hijabTurn0: 'hijab', hijabTurn4: 'hijab', hijabNod: 'hijab', webcamMan: 'webcam', replayMan: 'webcam',
    mouth0: 'mouth', mouth3: 'mouth', selfieMan: 'selfie', glassesMan: 'glasses', avMan: 'av', woman: 'woman',
  };
  // blink_man_glasses and talking_selfie_man may well be the same young man (same face and glasses,
  // another day; the fixtures README does not say): 0.52–0.62 apart, so uncertain. Not asserted either way.
  const unknown = (a: Frame, b: Frame) => new Set([who[a], who[b]]).size === 2 && [who[a], who[b]].every((w) => w === 'selfie' || w === 'glasses');
  const keyframes = new Map<Frame, { bytes: Uint8Array; reading: FaceReading }>();

  beforeAll(async () => {
    for (const [name, [clip, second]] of Object.entries(frames) as [Frame, readonly [string, number]][]) {
      const bytes = await keyframeFromClip(clip, second, model);
      keyframes.set(name, { bytes, reading: await model.describe(bytes, 'keyframe') });
    }
  }, 120_000);

  it('cuts phone-like key frames: 256×256 JPEG ≤ 20 KB with one face filling most of it', () => {
    for (const [name, { bytes, reading }] of keyframes) {
      const img = decodeFull(bytes);
      expect([img.width, img.height, bytes.length <= KEYFRAME_MAX_BYTES], name).toEqual([256, 256, true]);
      expect(reading.faces, name).toBe(1);
      expect(reading.box!.w, name).toBeGreaterThan(0.4);
    }
  });

  it('key frames of the same person match (across clips and seconds), of different people do not', () => {
    const names = [...keyframes.keys()];
    const pairs: string[] = [];
    for (const [i, a] of names.entries()) {
      for (const b of names.slice(i + 1)) {
        if (unknown(a, b)) continue;
        const v = decideMatch([keyframes.get(a)!.reading.descriptor], [keyframes.get(b)!.reading.descriptor!]);
        const label = `${a} vs ${b}: ${v.distance?.toFixed(3)}`;
        pairs.push(label);
        if (who[a] === who[b]) expect(v.decision, label).toBe('match');
        else expect(v.decision, label).not.toBe('match');
      }
    }
    expect(pairs.length).toBe(54);
  });

  // Issue 15 holds a check whose key frame shows a second face, and the count comes from this
  // detector: the tiny detector at 224 counts a bystander of 80 px, which at 160 or 128 it misses in
  // most frames (decision 072). A cheaper detector input must not come back through this door.
  it('counts a bystander of 80 px in a key frame as a second face', async () => {
    const pairs: [Frame, Frame][] = [['woman', 'webcamMan'], ['avMan', 'webcamMan'], ['hijabTurn0', 'webcamMan'], ['mouth0', 'woman'], ['webcamMan', 'mouth0']];
    for (const [host, guest] of pairs) {
      const frame = withSecondFace(decodeFull(keyframes.get(host)!.bytes), decodeFull(keyframes.get(guest)!.bytes), 80);
      expect((await model.describe(encodeKeyframe(frame), 'keyframe')).faces, `${host} with ${guest}`).toBe(2);
    }
  });

  it('leaks no tensors describing faces (key frames and photos)', async () => {
    const keyframe = keyframes.get('mouth0')!.bytes;
    const before = model.numTensors();
    for (let i = 0; i < 12; i++) await model.describe(keyframe, 'keyframe');
    await model.describe(readFileSync(photos[0]!.path), 'photo');
    expect(model.numTensors()).toBe(before);
  });

  it('a check of key frames against a reference photo of another kind: the rule on real frames', () => {
    const d = (f: Frame) => keyframes.get(f)!.reading.descriptor;
    // The man at his webcam as the reference; the check is the phone replaying him: a match.
    expect(decideMatch([d('replayMan'), d('replayMan')], [d('webcamMan')!]).decision).toBe('match');
    // The woman in hijab for one frame, someone else for the next: never a match.
    expect(decideMatch([d('hijabTurn0'), d('mouth0')], [d('hijabNod')!]).decision).not.toBe('match');
  });
});
