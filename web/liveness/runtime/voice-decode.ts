// The recorded read-digits clip back to samples, in the browser (Web Audio decodes the Opus or AAC
// that MediaRecorder made), for the voice check (voice/analyse.ts). Mono, at the decoder's rate.
export async function decodeClip(blob: Blob): Promise<{ samples: Float32Array; sampleRate: number } | null> {
  const Ctx = globalThis.OfflineAudioContext;
  if (typeof Ctx === 'undefined') return null;
  try {
    // decodeAudioData resamples to the context's rate: 16 kHz holds everything the check reads
    // (≤ 2.5 kHz); an older Safari that refuses a context below 22.05 kHz gets 44.1 kHz.
    let ctx: OfflineAudioContext;
    try {
      ctx = new Ctx(1, 1, 16_000);
    } catch {
      ctx = new Ctx(1, 1, 44_100);
    }
    const buf = await ctx.decodeAudioData(await blob.arrayBuffer());
    const samples = new Float32Array(buf.length);
    for (let c = 0; c < buf.numberOfChannels; c++) {
      const ch = buf.getChannelData(c);
      for (let i = 0; i < ch.length; i++) samples[i] = (samples[i] as number) + (ch[i] as number) / buf.numberOfChannels;
    }
    return { samples, sampleRate: buf.sampleRate };
  } catch {
    return null;
  }
}
