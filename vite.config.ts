import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// The app lives in web/ (index.html there); public/ holds static files, including the MediaPipe
// wasm and model that scripts/setup-assets.mjs puts in place. `--mode test` builds into dist-test/
// with test-only pages (see web/env.ts); production builds never contain them.
export default defineConfig(({ mode }) => ({
  root: 'web',
  publicDir: '../public',
  plugins: [solid()],
  build: {
    outDir: mode === 'test' ? '../dist-test' : '../dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://127.0.0.1:8787' },
  },
}));
