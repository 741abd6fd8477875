import { defineConfig } from 'vitest/config';

// Browser tests: real Chromium (playwright-core, /usr/bin/chromium) against the real server and a
// real SQLite file. One file at a time: the machine has two cores and each file starts a server.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['scripts/harness/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // What a page shows after a click or a sync comes a moment later on two busy cores; a poll that
    // gives up after vitest's default 1 s turns a slow machine into a red test. Where a test means
    // "at once", it uses a plain expect.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
