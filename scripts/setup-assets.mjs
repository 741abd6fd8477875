// @ts-check
// Runs after `npm install` (and before `npm start`): puts the liveness runtime where the app serves
// it from its own origin — never from a CDN.
//  - MediaPipe wasm + loader: copied from node_modules/@mediapipe/tasks-vision/wasm.
//  - face_landmarker.task: copied from ../shared/models (or $STILLHERE_SHARED_DIR/models) when
//    present, otherwise downloaded from Google's official URL; its sha256 is checked either way.
// Both land in public/ (git-ignored), which Vite serves in dev and copies into every build.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MODEL = {
  file: 'face_landmarker.task',
  sha256: '64184e229b263107bc2b804c6625db1341ff2bb731874b0bcc2fe6544e0bc9ff',
  url: 'https://storage.googleapis.com/mediapipe-models/face_landmarker/face_landmarker/float16/1/face_landmarker.task',
};

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** @param {Uint8Array} bytes */
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** The folder of shared test data beside the repo, if there is one. */
export function sharedDir() {
  const candidates = [process.env.STILLHERE_SHARED_DIR, resolve(root, '..', 'shared')].filter(Boolean);
  return /** @type {string[]} */ (candidates).find((dir) => existsSync(dir)) ?? null;
}

function copyWasm() {
  const from = join(root, 'node_modules', '@mediapipe', 'tasks-vision', 'wasm');
  const to = join(root, 'public', 'mediapipe', 'wasm');
  if (!existsSync(from)) throw new Error(`${from} is missing: run npm install first`);
  mkdirSync(to, { recursive: true });
  let copied = 0;
  for (const file of readdirSync(from)) {
    const src = join(from, file);
    const dst = join(to, file);
    if (existsSync(dst) && statSync(dst).size === statSync(src).size && statSync(dst).mtimeMs >= statSync(src).mtimeMs) continue;
    copyFileSync(src, dst);
    copied++;
  }
  return copied;
}

async function placeModel() {
  const target = join(root, 'public', 'models', MODEL.file);
  if (existsSync(target) && sha256(readFileSync(target)) === MODEL.sha256) return 'already in place';
  mkdirSync(dirname(target), { recursive: true });

  const shared = sharedDir();
  const local = shared ? join(shared, 'models', MODEL.file) : null;
  /** @type {Uint8Array} */
  let bytes;
  let source;
  if (local && existsSync(local)) {
    bytes = readFileSync(local);
    source = local;
  } else {
    source = MODEL.url;
    try {
      const res = await fetch(MODEL.url, { signal: AbortSignal.timeout(120_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch (err) {
      throw new Error(
        `Could not get ${MODEL.file}: no copy in ${local ?? '../shared/models'} and the download from ${MODEL.url} failed (${
          err instanceof Error ? err.message : err
        }). Put the file in ../shared/models/ or set STILLHERE_SHARED_DIR, then run \`node scripts/setup-assets.mjs\`.`,
      );
    }
  }
  const actual = sha256(bytes);
  if (actual !== MODEL.sha256) {
    throw new Error(`${source} has sha256 ${actual}, expected ${MODEL.sha256}: refusing to use a wrong or damaged model.`);
  }
  // Write then rename, so an interrupted install never leaves a half-written model behind.
  writeFileSync(`${target}.tmp`, bytes);
  renameSync(`${target}.tmp`, target);
  return `copied from ${source}`;
}

export async function setupAssets() {
  const wasm = copyWasm();
  const model = await placeModel();
  return { wasm, model };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { wasm, model } = await setupAssets();
    console.log(`StillHere assets: MediaPipe wasm ${wasm ? `updated (${wasm} files)` : 'up to date'}; face model ${model} (sha256 verified).`);
  } catch (err) {
    console.error(`\nStillHere setup failed: ${err instanceof Error ? err.message : err}\n`);
    process.exit(1);
  }
}
