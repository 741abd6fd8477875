// The spoof-risk meter on real fixture frames (../shared/fixtures/video): each clip's MJPEG frames
// decoded with jpeg-js, the face box from its recorded trace (the same landmark box the Worker
// computes), fed through the meter as the Worker feeds it (landmarks aside: planarity has its own
// test). Every spoof clip must be flagged and at most one genuine clip in ten.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { activeArea } from '../../../shared/spoof-signs.ts';
import { CLIPS, sharedDir, tracesAvailable } from '../../../scripts/harness/trace-fixtures.ts';
import { fromTraceRow, parseTraceCsv } from '../trace.ts';
import { createSpoofMeter } from './meter.ts';

const videoDir = () => path.join(sharedDir(), 'fixtures', 'video');
const available = tracesAvailable() && existsSync(path.join(videoDir(), 'spoof_phone_replay_selfie.mjpeg'));
const SKIP = `skipped: ${videoDir()} not found (set STILLHERE_SHARED_DIR to the folder with fixtures/)`;

/** The JPEGs of an .mjpeg file (Chromium's fake-camera format: JPEG after JPEG at 30 fps). */
function* mjpegFrames(file: string): Generator<{ index: number; bytes: Uint8Array }> {
  const buf = readFileSync(file);
  let index = 0;
  let start = buf.indexOf(Buffer.from([0xff, 0xd8, 0xff]));
  while (start >= 0) {
    const next = buf.indexOf(Buffer.from([0xff, 0xd8, 0xff]), start + 3);
    yield { index: index++, bytes: buf.subarray(start, next < 0 ? buf.length : next) };
    start = next;
  }
}

/** Every 8th JPEG (about 4 distinct frames a second: the clips double every frame) of the first 8 s. */
function measure(clip: string) {
  const rows = parseTraceCsv(readFileSync(path.join(videoDir(), 'traces', `${clip}.csv`), 'utf8'));
  const meter = createSpoofMeter();
  for (const { index, bytes } of mjpegFrames(path.join(videoDir(), `${clip}.mjpeg`))) {
    if (index % 8 !== 0) continue;
    const t = index / 30;
    if (t > 8) break;
    const row = rows.reduce((best, r) => (Math.abs(r.mediaTime - t) < Math.abs(best.mediaTime - t) ? r : best));
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    meter.frame({ signals: fromTraceRow(row, t * 1000), landmarks: null, pixels: { data: img.data, width: img.width, height: img.height } });
  }
  return meter.result();
}

describe.skipIf(!available)(`spoof-risk meter on fixture frames${available ? '' : ` (${SKIP})`}`, () => {
  // Vitest still runs a skipped describe's body to collect its tests: measure only with the clips.
  const results = new Map(available ? CLIPS.map((clip) => [clip, measure(clip)]) : []);

  it('flags both phone replays, for the soft face and the bezel on both sides', () => {
    for (const clip of ['spoof_phone_replay_man_webcam', 'spoof_phone_replay_selfie'] as const) {
      const r = results.get(clip)!;
      expect(r.flagged, `${clip}: ${JSON.stringify(r)}`).toBe(true);
      expect(r.inputs.bezel!).toBeGreaterThan(10);
    }
  });

  it('flags at most one genuine clip in ten, and none of the sharp ones', () => {
    const genuine = CLIPS.filter((c) => !c.startsWith('spoof_'));
    const flagged = genuine.filter((c) => results.get(c)!.flagged);
    expect(flagged.length * 10, `flagged: ${flagged.join(', ')}`).toBeLessThanOrEqual(genuine.length);
    for (const clip of ['talking_selfie_man', 'blink_man_glasses', 'mouth_open_man'] as const) expect(results.get(clip)!.score).toBeLessThan(0.3);
  });

  it('does not read a letterboxed clip’s black bars as a bezel', () => {
    const first = mjpegFrames(path.join(videoDir(), 'turn_left_right_woman_hijab.mjpeg')).next().value!;
    const img = jpeg.decode(first.bytes, { useTArray: true, formatAsRGBA: true });
    const area = activeArea({ data: img.data, width: img.width, height: img.height });
    // The clip is pillarboxed: picture from about x = 104 to 534 of 640.
    expect(area.x0).toBeGreaterThan(90);
    expect(area.x1).toBeLessThan(550);
    expect(results.get('turn_left_right_woman_hijab')!.inputs.bezel!).toBeLessThan(8);
  });
});
