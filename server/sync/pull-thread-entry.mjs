// Entry of the pull thread (pull-thread.ts). A worker thread does not inherit the TypeScript
// loader the server runs under, so it registers tsx itself before loading the real module.
import { register } from 'tsx/esm/api';

register();
await import('./pull-thread-entry.ts');
