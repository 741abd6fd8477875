// The help sentence is said whole: re-prompts that would cut it off wait (decision 076).
import { describe, expect, it } from 'vitest';
import { createWaitingVoice, HELP_SENTENCE_MS } from './waiting-voice.ts';
import { LIVENESS_PARAMS } from '../liveness/params.ts';

function rig() {
  const said: string[] = [];
  let t = 0;
  let waiting = false;
  const wv = createWaitingVoice({
    voice: { say: (id) => void said.push(id), sayAll: (parts) => void said.push(parts.map((p) => p.id).join(' + ')), stop: () => void said.push('stop') },
    waiting: () => waiting,
    helpWords: () => 'say.check.waiting',
    now: () => t,
  });
  return { wv, said, at: (ms: number) => (t = ms), setWaiting: (w: boolean) => (waiting = w) };
}

describe('createWaitingVoice', () => {
  it('passes everything through while the help is not shown', () => {
    const r = rig();
    r.wv.speaker.speak('prompt.turn_left', {});
    r.wv.speaker.speak('reprompt.turn_left', {});
    r.wv.speaker.cancel();
    expect(r.said).toEqual(['prompt.turn_left', 'reprompt.turn_left', 'stop']);
  });

  it('says the instruction with the help, keeps re-prompts from cutting it, and repeats both later', () => {
    const r = rig();
    const every = LIVENESS_PARAMS.timing.repromptMs;
    r.setWaiting(true);
    r.at(15_000);
    r.wv.helpShown('prompt.look_up', {});
    r.at(18_000);
    r.wv.speaker.speak('reprompt.look_up', {});
    r.at(18_000 + every);
    r.wv.speaker.speak('reprompt.look_up', {});
    expect(15_000 + HELP_SENTENCE_MS).toBeLessThanOrEqual(18_000 + every);
    // Another action: its prompt is said at once, as always.
    r.wv.speaker.speak('prompt.turn_left', {});
    expect(r.said).toEqual(['prompt.look_up + say.check.waiting', 'reprompt.look_up + say.check.waiting', 'prompt.turn_left']);
  });
});
