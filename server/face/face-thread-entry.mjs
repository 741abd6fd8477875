// Entry of a face thread (face-pool.ts). A worker does not inherit the TypeScript loader the
// server runs under, so it registers tsx itself before loading the real module.
import { register } from 'tsx/esm/api';

register();
await import('./face-thread-entry.ts');
