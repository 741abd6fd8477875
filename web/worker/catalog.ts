// The worker's strings join the app's catalog when the worker app's code loads (it is loaded only
// for workers, docs/decisions/045). WorkerApp.tsx imports this module first, so the strings are
// there before any worker screen renders.
import { addCatalog } from '../i18n/index.ts';
import { en, zh } from '../i18n/worker.ts';

addCatalog({ 'zh-CN': zh, en });
