import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import solid from 'vite-plugin-solid';
import { outDirFor } from './scripts/lib/paths.ts';
import { precompressPlugin } from './scripts/lib/precompress.ts';
import { pwaAssetsPlugin } from './scripts/lib/pwa-assets.ts';

const webDir = fileURLToPath(new URL('./web/', import.meta.url));
const publicDir = fileURLToPath(new URL('./public/', import.meta.url));

// The web manifest: one app (same id, start_url, icons) with a Chinese manifest by default and an
// English twin that the page links instead when the app is in English (docs/decisions/030).
const ICONS = [
  { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
  { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
  { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
];
const MANIFEST_BASE = {
  id: '/',
  start_url: '/',
  scope: '/',
  display: 'standalone' as const,
  orientation: 'portrait' as const,
  theme_color: '#0b3d2e',
  background_color: '#ffffff',
  categories: ['government', 'utilities'],
  icons: ICONS,
};
const MANIFEST_ZH = {
  ...MANIFEST_BASE,
  lang: 'zh-CN',
  dir: 'ltr' as const,
  name: '在这儿 · 养老金资格认证',
  short_name: '在这儿',
  description: '在自己的手机上做养老金资格认证（刷脸），没有信号也能用。',
};
const MANIFEST_EN = {
  ...MANIFEST_BASE,
  lang: 'en',
  dir: 'ltr' as const,
  name: 'StillHere · Pension certification',
  short_name: 'StillHere',
  description: 'The yearly pension proof of life on your own phone, even with no signal.',
};

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
    pwaAssetsPlugin({ publicDir, englishManifest: MANIFEST_EN }),
    // The service worker (web/sw.ts → /sw.js): the app shell (precached), the liveness assets and
    // voice clips (cache-first from the cache web/pwa/assets.ts fills), the update handshake and
    // Background Sync. The app registers it itself (web/pwa/sw-register.ts).
    VitePWA({
      strategies: 'injectManifest',
      srcDir: '.',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: MANIFEST_ZH,
      includeManifestIcons: false,
      injectManifest: {
        rollupFormat: 'iife',
        // The shell: code, styles, pages, both manifests (vite-plugin-pwa adds the zh-CN one) and
        // icons. The liveness assets (17 MB) and voice clips are fetched after sign-in by
        // web/pwa/assets.ts, not at install. The office console (its chunk and the charting
        // library, ~40 KB gzip) is left out: it is used at a desk with a network, never on the
        // phones that install the shell (decision 055).
        globPatterns: ['**/*.{js,css,html}', 'manifest.en.webmanifest', 'icons/*.{png,svg}'],
        globIgnores: ['mediapipe/**', 'models/**', 'voice/**', '**/*.map', 'sw.js', 'assets/OfficeApp-*', 'assets/uPlot*'],
      },
      devOptions: { enabled: false },
    }),
    // .br/.gz of the shell next to each file, after sw.js is written (docs/decisions/032).
    precompressPlugin(),
  ],
  build: {
    outDir: outDirFor(mode === 'test' ? 'test' : 'production'),
    emptyOutDir: true,
    target: 'es2022',
    // Maps hand anyone the app's whole source with its comments: test builds only, for debugging
    // e2e failures (issue 15). The server also refuses .map files in production (server/app.ts).
    sourcemap: mode === 'test',
    rollupOptions: {
      input: { main: `${webDir}index.html`, ...(mode === 'test' ? testPages() : {}) },
    },
  },
  // The liveness runtime's Worker is a module Worker (web/liveness/runtime/inference-thread.ts): MediaPipe's
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
