// `npm start`: make sure the model and wasm are in place, build the web app if it is missing or
// stale, then run the server (API + built PWA) in this process.
import { ensureBuilt, ROOT } from './build.ts';

process.chdir(ROOT);
const { setupAssets } = await import('./setup-assets.mjs');
await setupAssets();
// Vite sets NODE_ENV=production while it builds; the server must see the user's own setting.
const nodeEnv = process.env.NODE_ENV;
process.env.WEB_DIST ??= await ensureBuilt('production');
if (nodeEnv === undefined) delete process.env.NODE_ENV;
else process.env.NODE_ENV = nodeEnv;
await import('../server/main.ts');
