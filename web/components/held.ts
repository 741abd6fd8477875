// Whether the server's daily push quota holds this user's waiting records on the phone (issue 15,
// decision 052): they are kept and go again once its day has turned, which the screens say plainly.
import type { SyncSummary } from '../data/index.ts';

export function isHeld(s: Pick<SyncSummary, 'heldUntil' | 'waiting' | 'sending'>, now = Date.now()): boolean {
  return s.heldUntil !== null && s.heldUntil > now && s.waiting + s.sending > 0;
}
