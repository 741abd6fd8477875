import { describe, expect, it } from 'vitest';
import { fromTraceRow, loopTrace, parseTraceCsv } from './trace.ts';
import { CLIPS, SKIP_MESSAGE, loadTrace, tracesAvailable } from '../../scripts/harness/trace-fixtures.ts';

const CSV = `frame,t_ms,media_time,infer_ms,faces,w,h,eyeBlinkLeft,eyeBlinkRight,jawOpen,mouthClose,eyeLookOutLeft,eyeLookOutRight,eyeLookUpLeft,eyeLookDownLeft,mouthSmileLeft,mouthFunnel,mouthPucker,yaw,pitch,roll,tx,ty,tz,earL,earR,face_w,face_h,face_cx,face_cy,nose_off
0,44,0.069,407,1,640,480,0.59,0.58,0.01,0,0.07,0.02,0,0,0,0,0,-4.3,-7.9,-2.8,1,2,-40,0.06,0.07,0.17,0.22,0.48,0.61,0.1
1,300.3,0.337,44,0,640,480,,,,,,,,,,,,,,,,,,,,,,,,
2,346,0.37,30,1,640,480,0.29,0.22,0,0,0.07,0.06,0,0,0,0,0,2.5,-11.8,-23.4,1,2,-40,0.17,0.18,0.2,0.25,0.56,0.62,0.1
`;

describe('trace adapter', () => {
  const rows = parseTraceCsv(CSV);
  it('parses rows and keeps clip time and wall time apart', () => {
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ frame: 0, tMs: 44, mediaTime: 0.069, inferMs: 407, faces: 1, width: 640, height: 480 });
  });
  it('turns a row into FrameSignals (blink = mean of both eyes, EAR mean, box from centre and size)', () => {
    const s = fromTraceRow(rows[0]!);
    expect(s).toMatchObject({ tMs: 44, faceCount: 1, frameLuma: null, sharpness: null, inferMs: 407 });
    expect(s.face!.blink).toBeCloseTo(0.585);
    expect(s.face!.ear).toBeCloseTo(0.065);
    expect(s.face!.yaw).toBe(-4.3);
    expect(s.face!.box).toMatchObject({ w: 0.17, h: 0.22, cx: 0.48, cy: 0.61 });
    expect(s.face!.box.x).toBeCloseTo(0.395);
    expect(s.face!.luma).toBeNull();
  });
  it('a faces=0 row (empty signal fields) has no face, not a face of zeros', () => {
    const s = fromTraceRow(rows[1]!);
    expect(s.faceCount).toBe(0);
    expect(s.face).toBeNull();
    expect(Number.isNaN(rows[1]!.values.yaw)).toBe(true);
  });
  it('loops with timestamps that keep increasing', () => {
    const looped = loopTrace(rows, 2000);
    expect(looped.length).toBeGreaterThan(rows.length * 2);
    for (let i = 1; i < looped.length; i++) expect(looped[i]!.signals.tMs).toBeGreaterThan(looped[i - 1]!.signals.tMs);
    expect(looped[0]!.signals.tMs).toBe(0);
    expect(looped[3]).toMatchObject({ loop: 1, mediaTime: 0.069 });
  });
});

const clipSuite = tracesAvailable() ? describe : describe.skip;
clipSuite(tracesAvailable() ? 'fixture traces' : `fixture traces (${SKIP_MESSAGE})`, () => {
  it.each(CLIPS)('%s: ~28 rows a second (each 15 fps frame twice), faces=0 rows have empty signals', (name) => {
    const rows = loadTrace(name);
    const seconds = (rows.at(-1)!.tMs - rows[0]!.tMs) / 1000;
    expect(rows.length / seconds).toBeGreaterThan(20);
    expect(rows.length / seconds).toBeLessThan(32);
    for (const r of rows) {
      const s = fromTraceRow(r);
      if (r.faces === 0) {
        expect(s.face).toBeNull();
        expect(Number.isFinite(r.values.yaw ?? Number.NaN)).toBe(false);
      } else {
        expect(s.face).not.toBeNull();
      }
    }
  });
});
