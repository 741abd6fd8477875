import { defineConfig } from 'vitest/config';

// Unit and server tests: next to the code they test. Browser tests live in e2e/ with their own config.
export default defineConfig({
  define: { __TEST_BUILD__: 'true' },
  test: {
    include: ['*.test.ts', 'web/**/*.test.ts', 'server/**/*.test.ts', 'shared/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
