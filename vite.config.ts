import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

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
  plugins: [solid()],
  build: {
    outDir: mode === 'test' ? '../dist-test' : '../dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      input: { main: `${webDir}index.html`, ...(mode === 'test' ? testPages() : {}) },
    },
  },
  define: {
    // Dead-code-eliminates test-only paths (e.g. a caller-chosen liveness sequence) from production.
    __TEST_BUILD__: JSON.stringify(mode !== 'production'),
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://127.0.0.1:8787' },
  },
}));
