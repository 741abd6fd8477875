import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The folder rules are only worth having if a wrong import really fails the lint: each case lints
// one line as if it were in the named file, with the repository's own eslint.config.js.
const eslint = new ESLint({ cwd: import.meta.dirname });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath });
  return (result?.messages ?? []).map((m) => m.message);
}

describe('folder rules', () => {
  it.each([
    ['shared/pin.ts', "import { x } from '../web/data/db.ts';", /shared\/ imports only its own files and valibot/],
    ['shared/pin.ts', "import { x } from '../server/store/users.ts';", /shared\/ imports only/],
    ['shared/schemas/auth.ts', "import { x } from '../../web/app.tsx';", /shared\/ imports only/],
    ['shared/pin.ts', "import Dexie from 'dexie';", /shared\/ imports only/],
    ['shared/pin.ts', "import { readFile } from 'node:fs/promises';", /shared\/ imports only/],
    ['web/retiree/Home.tsx', "import Dexie from 'dexie';", /Only web\/data\/ talks to IndexedDB/],
    ['web/retiree/Home.tsx', "import { x } from '../../server/store/users.ts';", /never imports server\//],
    ['web/data/sync.ts', "import { x } from '../../server/sync/ingest.ts';", /never imports server\//],
    ['web/app.tsx', "import { x } from '../scripts/harness/browser.ts';", /never imports the test harness/],
    ['server/main.ts', "import { x } from '../bench/lib/server.ts';", /never imports the test harness/],
    ['scripts/liveness-cli.ts', "import { x } from '../e2e/support/browser.ts';", /browser tests are not a library/],
    ['bench/pwa.ts', "import { x } from '../e2e/pwa.e2e.test.ts';", /browser tests are not a library/],
    ['server/routes/me.ts', "import { x } from '../../web/data/db.ts';", /server\/ never imports web\//],
  ])('%s: %s fails', async (file, code, message) => {
    const found = await problems(file, code);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it.each([
    ['shared/pin.ts', "import * as v from 'valibot';"],
    ['shared/schemas/auth.ts', "import { parseIdNumber } from '../id-number.ts';"],
    ['shared/roster.ts', "import { x } from './sync.ts';"],
    ['web/data/db.ts', "import Dexie from 'dexie';"],
    ['web/retiree/Home.tsx', "import { x } from '../../shared/roster.ts';"],
    // Tests start the real server: that is what they are for.
    ['web/data/sync-engine.test.ts', "import { x } from '../../server/app.ts';"],
    ['server/routes/me.ts', "import { x } from '../../shared/sync.ts';"],
    ['e2e/pwa.e2e.test.ts', "import { x } from '../scripts/harness/browser.ts';"],
    ['bench/pwa.ts', "import { x } from '../scripts/harness/browser.ts';"],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});
