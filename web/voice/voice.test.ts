// A sentence said with the bundled clips goes on past a clip that cannot play: the device voice
// says that piece when it has a voice for the language, otherwise the piece is skipped. The
// browser's Audio and speechSynthesis do not exist in Node; small fakes record what was played.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attemptsFor, playPieces, type Attempt } from './playback.ts';
import { clipPlan, sentence, speakableTexts } from './speakable.ts';
import { createVoice } from './voice.ts';

describe('attemptsFor', () => {
  it('tries the clip, then the device voice when there is one', () => {
    expect(attemptsFor({ clip: 'digit.1', text: '一' }, true)).toEqual([
      { kind: 'clip', clip: 'digit.1' },
      { kind: 'synth', text: '一' },
    ]);
    expect(attemptsFor({ clip: 'digit.1', text: '一' }, false)).toEqual([{ kind: 'clip', clip: 'digit.1' }]);
  });
});

describe('playPieces', () => {
  const pieces = ['a', 'b', 'c'].map((clip) => ({ clip, text: clip.toUpperCase() }));
  const runner = (broken: string[], synthWorks = true) => {
    const heard: string[] = [];
    const run = async (a: Attempt) => {
      if (a.kind === 'clip' && broken.includes(a.clip)) return false;
      if (a.kind === 'synth' && !synthWorks) return false;
      heard.push(a.kind === 'clip' ? a.clip : `synth:${a.text}`);
      return true;
    };
    return { heard, run };
  };

  it('says a broken clip with the device voice and goes on', async () => {
    const { heard, run } = runner(['b']);
    await playPieces(pieces, true, run, () => true);
    expect(heard).toEqual(['a', 'synth:B', 'c']);
  });

  it('skips a broken clip when there is no device voice, and goes on', async () => {
    const { heard, run } = runner(['a', 'b']);
    await playPieces(pieces, false, run, () => true);
    expect(heard).toEqual(['c']);
  });

  it('skips a piece the device voice fails too', async () => {
    const { heard, run } = runner(['b'], false);
    await playPieces(pieces, true, run, () => true);
    expect(heard).toEqual(['a', 'c']);
  });

  it('stops when a newer sentence starts', async () => {
    const { heard, run } = runner([]);
    let current = true;
    await playPieces(pieces, true, async (a) => ((current = false), run(a)), () => current);
    expect(heard).toEqual(['a']);
  });
});

describe('speakable templates', () => {
  it('read a count as a number of times, 两 for two in Chinese', () => {
    const zh = '还可以再试 {count} 次。';
    expect(clipPlan('x', zh, { count: 2 }, 'zh-CN')).toEqual(['x#0', 'count.2', 'x#1']);
    expect(clipPlan('x', zh, { count: 3 }, 'zh-CN')).toEqual(['x#0', 'digit.3', 'x#1']);
    expect(clipPlan('x', 'You can try {count} more times.', { count: 2 }, 'en')).toEqual(['x#0', 'digit.2', 'x#1']);
    expect(sentence(zh, 'zh-CN', { count: 2 })).toBe('还可以再试 两 次。');
  });

  it('read a phone number digit by digit', () => {
    expect(sentence('请打 12333', 'zh-CN')).toBe('请打 一二三三三');
    expect(sentence('call 12333', 'en')).toBe('call 1 2 3 3 3');
  });
});

// --- the voice in a fake browser ---

class FakeAudio {
  static played: string[] = [];
  static broken = new Set<string>();
  playbackRate = 1;
  onended: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onpause: (() => void) | null = null;
  constructor(readonly src: string) {}
  play() {
    if (FakeAudio.broken.has(this.src)) return Promise.reject(new DOMException('no supported source', 'NotSupportedError'));
    FakeAudio.played.push(this.src);
    setTimeout(() => this.onended?.(), 0);
    return Promise.resolve();
  }
  pause() {
    this.onpause?.();
  }
}

function fakeSynth(voices: Partial<SpeechSynthesisVoice>[]) {
  const spoken: string[] = [];
  vi.stubGlobal('SpeechSynthesisUtterance', class {
    voice: unknown = null;
    lang = '';
    rate = 1;
    onend: (() => void) | null = null;
    onerror: (() => void) | null = null;
    constructor(readonly text: string) {}
  });
  vi.stubGlobal('speechSynthesis', {
    getVoices: () => voices,
    cancel: () => undefined,
    speak: (u: { text: string; onend: () => void }) => {
      spoken.push(u.text);
      setTimeout(() => u.onend(), 0);
    },
  });
  return spoken;
}


describe('createVoice with clips', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    FakeAudio.played = [];
    FakeAudio.broken.clear();
  });

  it('says the digits after a digit clip the browser refuses, with a network voice', async () => {
    vi.stubGlobal('Audio', FakeAudio);
    const spoken = fakeSynth([{ lang: 'zh-CN', localService: false }]);
    FakeAudio.broken.add('/voice/zh-CN/digit.1.mp3');
    const voice = createVoice(() => 'zh-CN', () => ({ enabled: true, rate: 1 }));
    expect(voice.engine()).toBe('clips');
    voice.say('prompt.read_digits', { digits: '3172' });
    // Each clip ends on a later turn of the event loop: wait for the whole sentence, not a fixed time.
    await expect.poll(() => FakeAudio.played.length + spoken.length).toBe(5);
    expect(FakeAudio.played).toEqual(['/voice/zh-CN/prompt.read_digits~0.mp3', '/voice/zh-CN/digit.3.mp3', '/voice/zh-CN/digit.7.mp3', '/voice/zh-CN/digit.2.mp3']);
    expect(spoken).toEqual(['一']);
  });

  it('skips a refused clip and says the rest when the phone has no voice at all', async () => {
    vi.stubGlobal('Audio', FakeAudio);
    FakeAudio.broken.add('/voice/en/prompt.read_digits~0.mp3');
    const voice = createVoice(() => 'en', () => ({ enabled: true, rate: 1 }));
    voice.say('prompt.read_digits', { digits: '90' });
    await expect.poll(() => FakeAudio.played.length).toBe(2);
    expect(FakeAudio.played).toEqual(['/voice/en/digit.9.mp3', '/voice/en/digit.0.mp3']);
  });

  it('uses the phone’s own voice for the whole sentence when it has a local one', async () => {
    vi.stubGlobal('Audio', FakeAudio);
    const spoken = fakeSynth([{ lang: 'zh-CN', localService: true }]);
    const voice = createVoice(() => 'zh-CN', () => ({ enabled: true, rate: 1 }));
    voice.say('prompt.read_digits', { digits: '12' });
    await expect.poll(() => spoken.length).toBe(1);
    expect(FakeAudio.played).toEqual([]);
    expect(spoken).toEqual([sentence(speakableTexts('zh-CN')['prompt.read_digits']!, 'zh-CN', { digits: '12' })]);
  });
  it('says several texts as one sentence, in order: the tip, then the other routes with the office number', async () => {
    vi.stubGlobal('Audio', FakeAudio);
    const voice = createVoice(() => 'zh-CN', () => ({ enabled: true, rate: 1 }));
    voice.sayAll([{ id: 'say.result.failed' }, { id: 'say.result.routes', vars: { digits: '12' } }]);
    await expect.poll(() => FakeAudio.played.length).toBe(4);
    expect(FakeAudio.played).toEqual(['/voice/zh-CN/say.result.failed.mp3', '/voice/zh-CN/say.result.routes~0.mp3', '/voice/zh-CN/digit.1.mp3', '/voice/zh-CN/digit.2.mp3']);
  });
});
