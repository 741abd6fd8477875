import { describe, expect, it } from 'vitest';
import { AUDIO_BITS_PER_SECOND, MAX_AUDIO_MS, pickAudioMime } from './audio.ts';
import { createRecordingSpeaker, createSystemSpeaker, silentSpeaker } from './speech.ts';

describe('read-digits audio', () => {
  it('prefers Opus in WebM, then Ogg, then MP4 (Safari)', () => {
    expect(pickAudioMime(() => true)).toBe('audio/webm;codecs=opus');
    expect(pickAudioMime((t) => t.startsWith('audio/ogg'))).toBe('audio/ogg;codecs=opus');
    expect(pickAudioMime((t) => t === 'audio/mp4')).toBe('audio/mp4');
    expect(pickAudioMime(() => false)).toBeNull();
  });

  it('a clip at the longest stays under the 40 KB upload limit', () => {
    expect((AUDIO_BITS_PER_SECOND / 8) * (MAX_AUDIO_MS / 1000)).toBeLessThan(40 * 1024);
  });
});

describe('speaking prompts', () => {
  it('records what would be said, with the digits', () => {
    const s = createRecordingSpeaker();
    s.speak('prompt.read_digits', { digits: '3719' });
    s.speak('prompt.blink', {});
    expect(s.spoken.map((x) => [x.id, x.digits])).toEqual([
      ['prompt.read_digits', '3719'],
      ['prompt.blink', undefined],
    ]);
  });

  it('is silent where the platform has no speech synthesis', () => {
    expect(createSystemSpeaker('zh-CN')).toBe(silentSpeaker);
  });
});
