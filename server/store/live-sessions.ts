// The session+user join now lives with the rest of the sessions table's SQL in ./sessions.ts; this
// name stays only for server/sync/pull.ts's import and can go once that imports ./sessions.ts.
export { liveSessionRow } from './sessions.ts';
