// Builds the web app only when its inputs changed since the last build. The stamp is a hash of
// every input's path, size and mtime: cheap enough to run on every start, and any edit, checkout
// or `npm install` that touches an input triggers a rebuild.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { outDirFor, ROOT } from './lib/paths.ts';

export { outDirFor, ROOT };
const INPUTS = ['web', 'shared', 'public', 'vite.config.ts', 'package.json', 'package-lock.json'];
const STAMP = '.build-stamp';

function* files(path: string): Generator<string> {
  if (!existsSync(path)) return;
  const st = statSync(path);
  if (st.isFile()) {
    yield path;
    return;
  }
  for (const entry of readdirSync(path).sort()) {
    if (entry === 'node_modules' || entry.endsWith('.test.ts')) continue;
    yield* files(join(path, entry));
  }
}

export function inputStamp(mode: string): string {
  const hash = createHash('sha256').update(mode);
  for (const input of INPUTS) {
    for (const file of files(join(ROOT, input))) {
      const st = statSync(file);
      hash.update(`${relative(ROOT, file)}\0${st.size}\0${st.mtimeMs}\n`);
    }
  }
  return hash.digest('hex');
}

/** Runs `vite build` when the output is missing or stale; returns the output folder. */
export async function ensureBuilt(mode: 'production' | 'test' = 'production', log = console.log): Promise<string> {
  const outDir = outDirFor(mode);
  const stamp = inputStamp(mode);
  const stampFile = join(outDir, STAMP);
  if (existsSync(join(outDir, 'index.html')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return outDir;
  log(`Building the web app (${mode})…`);
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.config.ts'), mode, logLevel: 'warn' });
  writeFileSync(stampFile, stamp);
  return outDir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const mode = process.argv.includes('--test') ? 'test' : 'production';
  console.log(`Built ${await ensureBuilt(mode)}`);
}
