// `npm run dev`: the API server with reload on change (tsx watch) and Vite's dev server with hot
// module reload for the web app, which proxies /api to the server.
import { spawn } from 'node:child_process';
import { ROOT } from './build.ts';

const children = [
  spawn('npx', ['tsx', 'watch', '--clear-screen=false', 'server/main.ts'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ALLOWED_ORIGINS: process.env.ALLOWED_ORIGINS ?? 'http://localhost:5173,http://127.0.0.1:5173' },
  }),
  spawn('npx', ['vite', '--host', process.env.HOST ?? '127.0.0.1'], { cwd: ROOT, stdio: 'inherit' }),
];

const stop = () => {
  for (const child of children) child.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children) child.on('exit', (code) => code && stop());
