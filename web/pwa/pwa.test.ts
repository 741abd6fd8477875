import { describe, expect, it } from 'vitest';
import { listAssets } from '../../scripts/lib/pwa-assets.ts';
import { sliceResponse } from '../sw/assets.ts';
import { assetsFor, type AssetEntry } from './assets.ts';
import { megabytes } from './format.ts';
import { isIos } from './install.ts';

const entry = (url: string, bytes: number, group: string): AssetEntry => ({ url, bytes, sha256: 'x', group });
const ALL = [
  entry('/mediapipe/wasm/vision_wasm_module_internal.wasm', 13_000_000, 'engine'),
  entry('/models/face_landmarker.task', 3_700_000, 'engine'),
  entry('/voice/zh-CN/a.mp3', 9_000, 'voice:zh-CN'),
  entry('/voice/en/a.mp3', 8_000, 'voice:en'),
];

describe('which files a phone downloads', () => {
  it('takes the engine and the voice of its language, smallest first', () => {
    expect(assetsFor(ALL, 'zh-CN', true).map((a) => a.url)).toEqual(['/voice/zh-CN/a.mp3', '/models/face_landmarker.task', '/mediapipe/wasm/vision_wasm_module_internal.wasm']);
  });

  it('skips the 17 MB engine on a browser that cannot run it', () => {
    expect(assetsFor(ALL, 'en', false).map((a) => a.url)).toEqual(['/voice/en/a.mp3']);
  });

  it('the build lists exactly the module wasm variant, its glue and the model, with sizes and hashes', () => {
    const list = listAssets(new URL('../../public/', import.meta.url).pathname);
    const engine = list.filter((a) => a.group === 'engine');
    expect(engine.map((a) => a.url).sort()).toEqual(['/mediapipe/wasm/vision_wasm_module_internal.js', '/mediapipe/wasm/vision_wasm_module_internal.wasm', '/models/face_landmarker.task']);
    for (const a of engine) {
      expect(a.bytes).toBeGreaterThan(100_000);
      expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(list.some((a) => a.group === 'voice:zh-CN')).toBe(true);
    expect(list.some((a) => a.group === 'voice:en')).toBe(true);
  });
});

describe('progress text', () => {
  it('shows megabytes with one decimal, rounded down', () => {
    expect(megabytes(4_199_999, 'en')).toBe('4.1');
    expect(megabytes(17_950_000, 'zh-CN')).toBe('17.9');
    expect(megabytes(0, 'en')).toBe('0.0');
  });
});

describe('install help', () => {
  it('recognises iPhones and iPads (which say they are Macs with touch)', () => {
    expect(isIos('Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Version/17.4 Mobile/15E148 Safari/604.1', 5)).toBe(true);
    expect(isIos('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15', 5)).toBe(true);
    expect(isIos('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15', 0)).toBe(false);
    expect(isIos('Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36', 5)).toBe(false);
  });
});

describe('service worker answers to <audio> range requests', () => {
  const full = () => new Response(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), { headers: { 'Content-Type': 'audio/mpeg' } });

  it('slices bounded, open and suffix ranges', async () => {
    const a = (await sliceResponse(full(), 'bytes=2-4'))!;
    expect(a.status).toBe(206);
    expect(a.headers.get('Content-Range')).toBe('bytes 2-4/10');
    expect([...new Uint8Array(await a.arrayBuffer())]).toEqual([2, 3, 4]);
    const b = (await sliceResponse(full(), 'bytes=0-'))!;
    expect(b.headers.get('Content-Length')).toBe('10');
    const c = (await sliceResponse(full(), 'bytes=-3'))!;
    expect([...new Uint8Array(await c.arrayBuffer())]).toEqual([7, 8, 9]);
    expect(c.headers.get('Content-Type')).toBe('audio/mpeg');
  });

  it('refuses ranges it cannot satisfy', async () => {
    expect(await sliceResponse(full(), 'bytes=10-')).toBeNull();
    expect(await sliceResponse(full(), 'bytes=5-2')).toBeNull();
    expect(await sliceResponse(full(), 'items=1-2')).toBeNull();
  });
});
