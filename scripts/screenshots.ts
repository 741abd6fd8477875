// `npx tsx scripts/screenshots.ts`: screenshots of every retiree and family screen, zh-CN, at
// 360×740, into docs/screens/NN-name.png (referenced from the README). Builds the test build if it
// is stale, starts the real server on a fresh database with the demo data, and walks the screens
// through the real UI with a face clip from ../shared as the camera (scripts/harness/screen-tour.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from '../server/db/sqlite.ts';
import { launchBrowser } from './harness/browser.ts';
import { compositeClip } from './harness/retiree-phone.ts';
import { tourScreens } from './harness/screen-tour.ts';
import { startServer } from './harness/server.ts';
import { HAS_SHARED, SKIP_REASON } from './harness/shared-data.ts';
import { ensureBuilt, ROOT } from './build.ts';

if (!HAS_SHARED) {
  console.error(`Cannot take screenshots: ${SKIP_REASON}`);
  process.exit(2);
}
// Without a Chinese font Chromium draws boxes instead of characters.
let cjkFonts = '';
try {
  cjkFonts = execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' });
} catch {
  // no fontconfig: treated as no font
}
if (!cjkFonts.trim()) {
  console.error('No Chinese font on this machine: install one first, e.g. apt-get install -y fonts-wqy-microhei');
  process.exit(2);
}
const out = join(ROOT, 'docs', 'screens');
mkdirSync(out, { recursive: true });
// Only this tour's own numbered pictures are replaced: the office's, the family's and the worker's
// come from their e2e tests and stay.
for (const f of readdirSync(out)) if (/^\d{2}-.*\.png$/.test(f)) rmSync(join(out, f));

await ensureBuilt('test');
const server = await startServer();
const camera = await launchBrowser({ fakeVideo: compositeClip() });
const noCamera = await launchBrowser();
const db = await openDb(server.dbPath);
let n = 0;
try {
  // 1x: the PNG is exactly 360×740, as a small phone shows it.
  await tourScreens({ url: server.url, db, camera, noCamera, context: { deviceScaleFactor: 1 } }, async (name, page) => {
    const file = join(out, `${String(++n).padStart(2, '0')}-${name}.png`);
    // Let fonts settle and the caret / focus ring not blink into the picture.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    // The fake camera plays fixture clips of real people, who are test material, never demo
    // material: the camera preview is left out of the pictures (the round frame stays).
    await page.evaluate(() => document.querySelectorAll('video').forEach((v) => (v.style.visibility = 'hidden')));
    await page.waitForTimeout(300);
    await page.screenshot({ path: file, animations: 'disabled' });
    console.log(`${file.slice(ROOT.length + 1)}  ${Math.round(statSync(file).size / 1024)} KB`);
  });
} finally {
  await db.close();
  await camera.close();
  await noCamera.close();
  await server.stop();
}
