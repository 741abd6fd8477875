// Test data from ../shared (outside the repo). Tests that need it skip with this message when the
// folder is absent, and only then.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from '../build.ts';

export const SHARED_DIR = process.env.STILLHERE_SHARED_DIR ?? resolve(ROOT, '..', 'shared');
export const HAS_SHARED = existsSync(join(SHARED_DIR, 'fixtures'));
export const SKIP_REASON = `skipped: ${SHARED_DIR}/fixtures not found (set STILLHERE_SHARED_DIR to the folder with models/ and fixtures/)`;

export const videoFixture = (name: string) => join(SHARED_DIR, 'fixtures', 'video', name);
