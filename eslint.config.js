// The folder rules the code comments state, enforced (docs/decisions/083-folder-rules-enforced.md).
// Only import boundaries are checked: style is the formatter's and tsc's business.
import tseslint from 'typescript-eslint';

const TESTS = ['**/*.test.ts', '**/*.test.tsx'];

/**
 * One message per folder rule, so a failing import says which rule it breaks.
 * @param {...{ regex: string, message: string }} patterns
 * @returns {import('eslint').Linter.RulesRecord}
 */
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

const notServer = {
  regex: '(^|/)server/',
  message: 'web/ runs on the phone: it never imports server/ (share types and rules through shared/).',
};
const notWeb = {
  regex: '(^|/)web/',
  message: 'server/ never imports web/ (share types and rules through shared/).',
};
const notHarness = {
  regex: '(^|/)(e2e|bench|scripts)/',
  message: 'shipped code never imports the test harness (scripts/harness), the tools or benchmarks.',
};
const notE2e = {
  regex: '(^|/)e2e/',
  message: 'the browser tests are not a library: what tests, benches and tools share lives in scripts/harness/.',
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'dist-*/**', 'public/**', '.vite/**', 'test-results/**'] },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs', '**/*.js'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: TESTS,
    rules: restrict({
      // Anything but a relative path inside shared/ or valibot: shared runs in the browser, the
      // Web Worker, the service worker and Node alike.
      regex: '^(?!valibot$|\\.\\.?/)|^(\\.\\./)+(web|server|e2e|bench|scripts)/|^\\.\\./\\.\\./',
      message: 'shared/ imports only its own files and valibot.',
    }),
  },
  {
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    ignores: [...TESTS, 'web/data/**'],
    rules: restrict(notServer, notHarness, {
      regex: '^dexie(/|$)',
      message: 'Only web/data/ talks to IndexedDB through Dexie; use its typed functions.',
    }),
  },
  {
    files: ['web/data/**/*.ts'],
    ignores: TESTS,
    rules: restrict(notServer, notHarness),
  },
  {
    files: ['server/**/*.ts', 'server/**/*.mjs'],
    ignores: TESTS,
    rules: restrict(notWeb, notHarness),
  },
  {
    files: ['scripts/**/*.ts', 'bench/**/*.ts', 'server/**/*.test.ts', 'web/**/*.test.ts', 'shared/**/*.test.ts'],
    rules: restrict(notE2e),
  },
);
