import { describe, expect, it } from 'vitest';
import { audioContainer, audioProblem, frameProblem, jpegInfo, normaliseMime } from './media.ts';
import { syntheticJpeg, syntheticOgg } from './sync-fixtures.ts';

describe('jpegInfo', () => {
  it('reads the pixel size from the SOF header, past APPn segments and fill bytes', () => {
    expect(jpegInfo(syntheticJpeg(240, 320, 5000))).toEqual({ width: 240, height: 320 });
    const withFill = syntheticJpeg(640, 480, 5000);
    const padded = new Uint8Array([0xff, 0xd8, 0xff, 0xff, ...withFill.slice(3)]);
    expect(jpegInfo(padded)).toEqual({ width: 640, height: 480 });
  });

  it('refuses what is not a complete JPEG', () => {
    expect(jpegInfo(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]))).toBeNull();
    expect(jpegInfo(syntheticJpeg().slice(0, 4000))).toBeNull(); // no EOI: truncated
    expect(jpegInfo(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 2, 0xff, 0xd9]))).toBeNull(); // scan before any frame header
  });

  it('applies the size limits of a key frame', () => {
    expect(frameProblem(syntheticJpeg(240, 320, 20 * 1024))).toBeNull();
    expect(frameProblem(syntheticJpeg(240, 320, 20 * 1024 + 1))).toBe('too_large');
    expect(frameProblem(syntheticJpeg(32, 32, 2000))).toBe('bad_size');
    expect(frameProblem(syntheticJpeg(4000, 3000, 9000))).toBe('bad_size');
  });
});

describe('audio', () => {
  it('knows WebM, Ogg and MP4 by their magic bytes', () => {
    expect(audioContainer(new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 1]))).toBe('webm');
    expect(audioContainer(syntheticOgg(100))).toBe('ogg');
    expect(audioContainer(new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70]))).toBe('mp4');
    expect(audioContainer(new Uint8Array([1, 2, 3, 4]))).toBeNull();
  });

  it('checks type, container, size and a plausible length', () => {
    expect(normaliseMime('audio/ogg; codecs="opus"')).toBe('audio/ogg;codecs=opus');
    expect(audioProblem(syntheticOgg(12_000), 'audio/ogg;codecs=opus', 4000)).toBeNull();
    expect(audioProblem(syntheticOgg(12_000), 'audio/mpeg', 4000)).toBe('bad_type');
    expect(audioProblem(syntheticOgg(12_000), 'audio/webm', 4000)).toBe('not_audio');
    expect(audioProblem(syntheticOgg(41 * 1024), 'audio/ogg', 15_000)).toBe('too_large');
    expect(audioProblem(syntheticOgg(12_000), 'audio/ogg', 25_000)).toBe('bad_duration');
    expect(audioProblem(syntheticOgg(40_000), 'audio/ogg', 1000)).toBe('bad_duration'); // 320 kbit/s is no speech codec
  });
});
