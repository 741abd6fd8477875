// A production build cannot run a caller-chosen liveness sequence, nor shorten the check, nor
// carry the harness page. Checked on real production bundles built here into temporary folders:
// the app as `npm run build` makes it, and the liveness runtime on its own (the check screen that
// will ship it is a later issue, so today's app does not import it yet).
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSequence } from '../shared/liveness.ts';
import { ROOT } from '../scripts/build.ts';

const dir = mkdtempSync(join(tmpdir(), 'stillhere-guard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function* files(path: string): Generator<string> {
  for (const e of readdirSync(path)) {
    const p = join(path, e);
    if (statSync(p).isDirectory()) yield* files(p);
    else yield p;
  }
}
const jsText = (root: string) =>
  [...files(root)]
    .filter((f) => f.endsWith('.js') || f.endsWith('.mjs') || f.endsWith('.html'))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');

type ConfigFn = (env: { mode: string; command: 'build'; isSsrBuild: boolean; isPreview: boolean }) => { define?: Record<string, string> };
let productionDefine: Record<string, string> = {};
const appOut = join(dir, 'app');
const runtimeOut = join(dir, 'runtime');

beforeAll(async () => {
  const cfg = (await import('../vite.config.ts')).default as unknown as ConfigFn;
  productionDefine = cfg({ mode: 'production', command: 'build', isSsrBuild: false, isPreview: false }).define ?? {};
  const { build } = await import('vite');
  const nodeEnv = process.env.NODE_ENV;
  // The app exactly as `npm run build` makes it, into a temporary folder.
  await build({ configFile: join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'error', build: { outDir: appOut, sourcemap: false } });
  // The liveness runtime (main-thread API + its Worker) with the production definitions.
  await build({
    configFile: false,
    root: ROOT,
    mode: 'production',
    logLevel: 'error',
    define: productionDefine,
    worker: { format: 'es' },
    build: { outDir: runtimeOut, emptyOutDir: true, copyPublicDir: false, minify: true, lib: { entry: join(ROOT, 'web/liveness/runtime/index.ts'), formats: ['es'], fileName: 'runtime' } },
  });
  process.env.NODE_ENV = nodeEnv;
}, 120_000);

describe('production builds and the liveness test paths', () => {
  it('defines __TEST_BUILD__ as false for production and true for test builds', async () => {
    expect(productionDefine.__TEST_BUILD__).toBe('false');
    const cfg = (await import('../vite.config.ts')).default as unknown as ConfigFn;
    expect(cfg({ mode: 'test', command: 'build', isSsrBuild: false, isPreview: false }).define?.__TEST_BUILD__).toBe('true');
  });

  it('the production app has no harness pages', () => {
    expect(readdirSync(appOut)).not.toContain('dev');
    const text = jsText(appOut);
    expect(text).not.toContain('liveness-harness');
    expect(text).not.toContain('__liveness');
  });

  it('the production runtime bundle has no test-only option and keeps the seed check', () => {
    const text = jsText(runtimeOut);
    // The Worker (with MediaPipe's JS) is its own file next to the main-thread code.
    const worker = [...files(runtimeOut)].find((f) => /inference-thread-[^/]+\.js$/.test(f));
    expect(worker).toBeDefined();
    expect(readFileSync(worker!, 'utf8')).toContain('vision_wasm_module_internal');
    for (const testOnly of ['testTotalTimeoutMs', 'testFailGpu', 'test: GPU', 'fixed sequences exist only']) expect(text).not.toContain(testOnly);
    expect(text).toContain('the sequence does not match its seed');
  });

  it('the production runtime refuses a sequence that its seed does not generate', async () => {
    const entry = [...files(runtimeOut)].find((f) => /runtime\.(m?js)$/.test(f));
    expect(entry).toBeDefined();
    const m = (await import(pathToFileURL(entry!).href)) as typeof import('../web/liveness/runtime/index.ts');
    const real = generateSequence(123_456);
    expect(m.checkedSequence(real)).toEqual(real);
    const chosen = { seed: 123_456, actions: ['blink' as const] };
    expect(() => m.checkedSequence(chosen)).toThrow(/does not match its seed/);
    expect(() => m.checkedSequence({ ...real, actions: [...real.actions].reverse() })).toThrow(/does not match its seed/);
    const local = m.localSequence();
    expect(m.checkedSequence(local)).toEqual(local);
  });
});
