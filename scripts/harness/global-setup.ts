import { ensureBuilt } from '../build.ts';

// One test build for all browser tests (it includes the test-only pages).
export default async function setup() {
  const nodeEnv = process.env.NODE_ENV;
  await ensureBuilt('test');
  process.env.NODE_ENV = nodeEnv;
}
