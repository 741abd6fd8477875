// Entry of the ingest thread (ingest-thread.ts). A worker thread does not inherit the TypeScript
// loader the server runs under, so it registers tsx itself before loading the real module.
import { register } from 'tsx/esm/api';

register();
await import('./ingest-thread-entry.ts');
