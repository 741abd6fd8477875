// Production serves no source maps (issue 15): they hand anyone the app's full source with its
// comments. The production build makes none, and the server refuses a .map left in the folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import viteConfig from '../vite.config.ts';
import { createTestApp } from './test-support.ts';

const web = mkdtempSync(join(tmpdir(), 'stillhere-web-'));
mkdirSync(join(web, 'assets'));
writeFileSync(join(web, 'index.html'), '<!doctype html><title>t</title>');
writeFileSync(join(web, 'assets', 'app-1234.js'), 'console.log(1)\n//# sourceMappingURL=app-1234.js.map');
writeFileSync(join(web, 'assets', 'app-1234.js.map'), '{"version":3,"sources":["secret.ts"]}');
afterAll(() => rmSync(web, { recursive: true, force: true }));

async function get(production: boolean, path: string) {
  const t = await createTestApp({ seed: false, config: { webDist: web, production } });
  try {
    return (await t.app.request(path)).status;
  } finally {
    await t.close();
  }
}

describe('source maps', () => {
  it('are not served in production', async () => {
    expect(await get(true, '/assets/app-1234.js')).toBe(200);
    expect(await get(true, '/assets/app-1234.js.map')).toBe(404);
    expect(await get(true, '/assets/app-1234.js%2Emap')).toBe(404);
    expect(await get(true, '/assets/app-1234.js.map?x=1')).toBe(404);
  });

  it('are served by a development or test server (for debugging its own build)', async () => {
    expect(await get(false, '/assets/app-1234.js.map')).toBe(200);
  });

  it('are not made by the production build (the test build keeps them)', () => {
    const config = (mode: string) => (viteConfig as (env: { mode: string; command: 'build' }) => { build?: { sourcemap?: unknown } })({ mode, command: 'build' });
    expect(config('production').build?.sourcemap).toBe(false);
    expect(config('test').build?.sourcemap).toBe(true);
  });
});
