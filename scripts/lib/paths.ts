// Paths shared by the build, the server launchers and vite.config.ts. Kept apart from
// scripts/build.ts because vite bundles its config together with what it imports, and build.ts
// has a "run me" block that would fire again inside that bundle.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** STILLHERE_TEST_DIST moves the test build, so that several checkouts' test runs can share a machine. */
export function outDirFor(mode: 'production' | 'test'): string {
  if (mode === 'test') return resolve(ROOT, process.env.STILLHERE_TEST_DIST ?? 'dist-test');
  return join(ROOT, 'dist');
}
