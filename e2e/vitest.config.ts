import { defineConfig } from 'vitest/config';

// Browser tests: real Chromium (playwright-core, /usr/bin/chromium) against the real server and a
// real SQLite file. One file at a time: the machine has two cores and each file starts a server.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/support/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
