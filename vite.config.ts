import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import solid from 'vite-plugin-solid';
import { outDirFor } from './scripts/build.ts';

const webDir = fileURLToPath(new URL('./web/', import.meta.url));

/** Test-only pages (harnesses for e2e tests and the CLI): web/dev/*.html, built only in test mode. */
function testPages(): Record<string, string> {
  const dir = `${webDir}dev/`;
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.html'));
  } catch {
    // no test pages yet
  }
  return Object.fromEntries(files.map((f) => [`dev/${f.slice(0, -5)}`, `${dir}${f}`]));
}

// The app lives in web/ (index.html there); public/ holds static files, including the MediaPipe
// wasm and model that scripts/setup-assets.mjs puts in place. `--mode test` builds into dist-test/
// with the test-only pages in web/dev/ and __TEST_BUILD__ = true; production builds have neither.
export default defineConfig(({ mode }) => ({
  root: 'web',
  publicDir: '../public',
  plugins: [
    solid(),
    // The service worker (web/sw.ts → /sw.js): the app shell cache and Background Sync. The app
    // registers it itself (web/data/sw-register.ts); no web manifest yet (a later issue).
    VitePWA({
      strategies: 'injectManifest',
      srcDir: '.',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: false,
      injectManifest: {
        rollupFormat: 'iife',
        globPatterns: ['**/*.{js,css,html}'],
        globIgnores: ['mediapipe/**', 'models/**', '**/*.map', 'sw.js'],
      },
      devOptions: { enabled: false },
    }),
  ],
  build: {
    outDir: outDirFor(mode === 'test' ? 'test' : 'production'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      input: { main: `${webDir}index.html`, ...(mode === 'test' ? testPages() : {}) },
    },
  },
  // The liveness runtime's Worker is a module Worker (web/liveness/runtime/worker.ts): MediaPipe's
  // loader falls back to `import()` of the ES-module wasm glue there, which needs ES output.
  worker: { format: 'es' as const },
  define: {
    // Dead-code-eliminates test-only paths (e.g. a caller-chosen liveness sequence) from production.
    __TEST_BUILD__: JSON.stringify(mode !== 'production'),
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://127.0.0.1:8787' },
  },
}));
