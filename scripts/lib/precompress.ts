// Writes .br and .gz next to every compressible file of the web build, so the server
// (serveStatic with precompressed: true) sends the app shell compressed without compressing on
// each request: on a 500 kbit/s village connection the first load is mostly the JS. The liveness
// assets (wasm, model) and voice clips are left alone: the phone downloads them in resumable
// ranges, and browsers ask for ranges uncompressed (docs/decisions/032).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|webmanifest)$/;
const SKIP = /^(?:mediapipe|models|voice)\//;

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

export function precompressFiles(outDir: string): { files: number; bytes: number; brotli: number } {
  let files = 0;
  let bytes = 0;
  let brotli = 0;
  for (const path of walk(outDir)) {
    const rel = relative(outDir, path).replaceAll('\\', '/');
    if (!COMPRESSIBLE.test(rel) || SKIP.test(rel)) continue;
    const raw = readFileSync(path);
    if (raw.length < 1024) continue;
    const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
    writeFileSync(`${path}.br`, br);
    writeFileSync(`${path}.gz`, gzipSync(raw, { level: 9 }));
    files++;
    bytes += raw.length;
    brotli += br.length;
  }
  return { files, bytes, brotli };
}

/** Runs after vite-plugin-pwa has written sw.js (so it is compressed too). */
export function precompressPlugin(): Plugin {
  let outDir = '';
  return {
    name: 'stillhere-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        precompressFiles(outDir);
      },
    },
  };
}
