// Renders the app icons (public/icons/*.png) from the SVGs with the system Chromium, so no image
// tool is needed. Run after changing icon.svg or maskable.svg: npx tsx scripts/make-icons.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from './build.ts';

const dir = join(ROOT, 'public', 'icons');
const jobs: [svg: string, size: number, out: string][] = [
  ['icon.svg', 192, 'icon-192.png'],
  ['icon.svg', 512, 'icon-512.png'],
  ['maskable.svg', 512, 'maskable-512.png'],
  // iOS draws its own rounded corners; a full-bleed square looks right there.
  ['maskable.svg', 180, 'apple-touch-icon.png'],
];

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
for (const [svg, size, out] of jobs) {
  const markup = readFileSync(join(dir, svg), 'utf8');
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${markup}`);
  writeFileSync(join(dir, out), await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
}
await browser.close();
console.log(`icons written to ${dir}`);
