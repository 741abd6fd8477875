// Build-time facts the PWA layer needs and cannot learn cheaply on the phone:
//   - the liveness assets (the one MediaPipe wasm variant the engine loads, its glue script, the
//     face model) and the offline voice clips, each with its size and SHA-256, as the virtual
//     module `virtual:stillhere-assets` (web/pwa/assets.ts downloads them with a progress bar
//     that knows the total before the first byte, resumes, and verifies what it stored);
//   - a gzip copy of each engine file in the build (`<dir>/gz/<file>.gz`), which the phone
//     downloads instead and decompresses itself (decision 075: 17.1 MB → 7.3 MB on the wire);
//   - the English twin of the web manifest (manifest.en.webmanifest), which the page links to
//     instead of the Chinese one when the app is in English (see docs/decisions/030).
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Plugin } from 'vite';

export interface AssetFile {
  /** Root-relative URL, as the engine requests it. */
  url: string;
  bytes: number;
  sha256: string;
}

export interface AssetEntry extends AssetFile {
  /** 'engine' (wasm, glue, model) or 'voice:<lang>'. */
  group: string;
  /** The gzip copy the build carries (engine files, production and test builds). */
  gzip?: AssetFile;
}

/** What the liveness runtime loads (web/liveness/runtime/inference-thread.ts; decision 021: module build only). */
export const ENGINE_FILES = [
  'mediapipe/wasm/vision_wasm_module_internal.js',
  'mediapipe/wasm/vision_wasm_module_internal.wasm',
  'models/face_landmarker.task',
];

const hashCache = new Map<string, { key: string; sha256: string }>();
const gzipCache = new Map<string, { key: string; bytes: Buffer }>();

/** Where the gzip copy of `rel` goes: a folder of its own, so a static server's `.gz` siblings (Content-Encoding) never apply. */
export const gzipPath = (rel: string) => `${dirname(rel)}/gz/${basename(rel)}.gz`;

/** The gzip copy of a public file (level 9: made once per build and file, downloaded by every phone). */
function gzipOf(publicDir: string, rel: string): Buffer {
  const path = join(publicDir, rel);
  const st = statSync(path);
  const key = `${st.size}:${st.mtimeMs}`;
  let known = gzipCache.get(path);
  if (known?.key !== key) {
    known = { key, bytes: gzipSync(readFileSync(path), { level: 9 }) };
    gzipCache.set(path, known);
  }
  return known.bytes;
}

function describe(publicDir: string, rel: string, group: string): AssetEntry {
  const path = join(publicDir, rel);
  const st = statSync(path);
  // Hashing 17 MB on every build costs ~0.1 s; remember it while the file is unchanged (dev rebuilds).
  const key = `${st.size}:${st.mtimeMs}`;
  let known = hashCache.get(path);
  if (known?.key !== key) {
    known = { key, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') };
    hashCache.set(path, known);
  }
  return { url: `/${rel}`, bytes: st.size, sha256: known.sha256, group };
}

/** `withGzip`: describe the engine files' gzip copies too (a build; the dev server serves public/ only). */
export function listAssets(publicDir: string, withGzip = false): AssetEntry[] {
  const out: AssetEntry[] = [];
  for (const rel of ENGINE_FILES) {
    if (!existsSync(join(publicDir, rel))) {
      throw new Error(`${rel} is missing from public/: run \`npm install\` (scripts/setup-assets.mjs puts it there)`);
    }
    const entry = describe(publicDir, rel, 'engine');
    if (withGzip) {
      const gz = gzipOf(publicDir, rel);
      entry.gzip = { url: `/${gzipPath(rel)}`, bytes: gz.length, sha256: createHash('sha256').update(gz).digest('hex') };
    }
    out.push(entry);
  }
  const voiceDir = join(publicDir, 'voice');
  if (existsSync(voiceDir)) {
    for (const lang of readdirSync(voiceDir).sort()) {
      const dir = join(voiceDir, lang);
      if (!statSync(dir).isDirectory()) continue;
      for (const f of readdirSync(dir).sort()) {
        if (f.endsWith('.mp3')) out.push(describe(publicDir, `voice/${lang}/${f}`, `voice:${lang}`));
      }
    }
  }
  return out;
}

const VIRTUAL_ID = 'virtual:stillhere-assets';
const RESOLVED_ID = `\0${VIRTUAL_ID}`;

export function pwaAssetsPlugin(opts: { publicDir: string; englishManifest: Record<string, unknown> }): Plugin {
  let build = false;
  return {
    name: 'stillhere-pwa-assets',
    configResolved(config) {
      build = config.command === 'build';
    },
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      for (const rel of ENGINE_FILES) this.addWatchFile(join(opts.publicDir, rel));
      return `export default ${JSON.stringify(listAssets(opts.publicDir, build))};`;
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'manifest.en.webmanifest', source: `${JSON.stringify(opts.englishManifest, null, 2)}\n` });
      for (const rel of ENGINE_FILES) this.emitFile({ type: 'asset', fileName: gzipPath(rel), source: gzipOf(opts.publicDir, rel) });
    },
  };
}
