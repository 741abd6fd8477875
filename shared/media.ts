// Cheap, dependency-free checks of the evidence a phone uploads: a JPEG's pixel size from its
// SOI/SOFn header, an audio clip's container from its magic bytes. The server runs them on every
// upload; the phone runs the same ones before it stores a blob, so a bad blob is caught where it
// can still be replaced.
import { AUDIO_TYPES, SYNC_LIMITS } from './sync.ts';

export interface JpegInfo {
  width: number;
  height: number;
}

/** Width and height from the first SOFn segment, or null when the bytes are not a well-formed JPEG. */
export function jpegInfo(bytes: Uint8Array): JpegInfo | null {
  const n = bytes.length;
  if (n < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff) return null;
  // Must end with EOI (FF D9): a truncated upload is rejected rather than stored half.
  if (bytes[n - 2] !== 0xff || bytes[n - 1] !== 0xd9) return null;
  let i = 2;
  while (i + 4 <= n) {
    if (bytes[i] !== 0xff) return null;
    let marker = bytes[i + 1]!;
    // Fill bytes: any number of FF before a marker.
    while (marker === 0xff && i + 2 < n) {
      i++;
      marker = bytes[i + 1]!;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // image data or end before any frame header
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (length < 2 || i + 2 + length > n) return null;
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (length < 7) return null;
      const height = (bytes[i + 5]! << 8) | bytes[i + 6]!;
      const width = (bytes[i + 7]! << 8) | bytes[i + 8]!;
      if (width === 0 || height === 0) return null;
      return { width, height };
    }
    i += 2 + length;
  }
  return null;
}

export type FrameProblem = 'not_jpeg' | 'too_large' | 'bad_size';

export function frameProblem(bytes: Uint8Array): FrameProblem | null {
  if (bytes.length > SYNC_LIMITS.maxFrameBytes) return 'too_large';
  const info = jpegInfo(bytes);
  if (!info) return 'not_jpeg';
  const { minFramePx, maxFramePx } = SYNC_LIMITS;
  if (info.width < minFramePx || info.height < minFramePx || info.width > maxFramePx || info.height > maxFramePx) return 'bad_size';
  return null;
}

/** The container the magic bytes show: EBML (WebM), OggS, or an ISO BMFF 'ftyp' box (MP4). */
export function audioContainer(bytes: Uint8Array): 'webm' | 'ogg' | 'mp4' | null {
  if (bytes.length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return 'webm';
  if (bytes.length >= 4 && bytes[0] === 0x4f && bytes[1] === 0x67 && bytes[2] === 0x67 && bytes[3] === 0x53) return 'ogg';
  if (bytes.length >= 8 && bytes[4] === 0x66 && bytes[5] === 0x74 && bytes[6] === 0x79 && bytes[7] === 0x70) return 'mp4';
  return null;
}

export type AudioProblem = 'bad_type' | 'not_audio' | 'too_large' | 'bad_duration';

/** Normalises 'audio/webm; codecs="opus"' to 'audio/webm;codecs=opus'. */
export function normaliseMime(type: string): string {
  return type.toLowerCase().replace(/\s+/g, '').replace(/"/g, '');
}

export function audioProblem(bytes: Uint8Array, type: string, durationMs: number): AudioProblem | null {
  const mime = normaliseMime(type);
  if (!(AUDIO_TYPES as readonly string[]).includes(mime)) return 'bad_type';
  if (bytes.length > SYNC_LIMITS.maxAudioBytes) return 'too_large';
  const container = audioContainer(bytes);
  if (!container || !mime.startsWith(`audio/${container}`)) return 'not_audio';
  if (!Number.isFinite(durationMs) || durationMs < SYNC_LIMITS.minAudioMs || durationMs > SYNC_LIMITS.maxAudioMs) return 'bad_duration';
  // A clip far denser than speech codecs produce is not what it claims to be.
  if ((bytes.length * 8) / (durationMs / 1000) > SYNC_LIMITS.maxAudioBitsPerSecond) return 'bad_duration';
  return null;
}
