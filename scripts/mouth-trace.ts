// `npx tsx scripts/mouth-trace.ts CLIP OFFSET_MS > web/liveness/voice/testdata/CLIP.mouth.json`
//
// Measures the jawOpen of every analysed frame of ../shared/fixtures/video/CLIP.mjpeg as the
// liveness harness sees it (real Chromium, real MediaPipe, a read_digits check of up to 40 s), for
// the voice tests (web/liveness/voice/voice.test.ts, decision 079). OFFSET_MS is the fake camera's
// start-up (camera time minus clip time), the lag at which the clip's own sound fits best
// (500 ms for talking_av_man, 300 for talking_av_woman on this machine). Numbers only, no image.
import { ensureBuilt } from './build.ts';
import { startServer } from './harness/server.ts';
import { videoFixture } from './harness/shared-data.ts';
import { openHarnessBrowser } from './harness/liveness-run.ts';
import { clipLength } from './lib/clip-length.ts';

const [clip, offsetArg] = process.argv.slice(2);
if (!clip || offsetArg === undefined || !Number.isFinite(Number(offsetArg))) {
  console.error('usage: npx tsx scripts/mouth-trace.ts CLIP OFFSET_MS');
  process.exit(2);
}
const offset = Number(offsetArg);
await ensureBuilt('test');
const server = await startServer();
try {
  const h = await openHarnessBrowser(server.url, videoFixture(`${clip}.mjpeg`), [`--use-file-for-fake-audio-capture=${videoFixture(`${clip}.wav`)}`]);
  const report = await h.run({ steps: 'read_digits', digits: '3719', timeoutMs: 40_000 });
  await h.close();
  const c = report.checks[0];
  if (!c) throw new Error(report.error?.message ?? 'no check ran');
  const clipMs = clipLength(videoFixture(`${clip}.mjpeg`)).ms;
  const fps = (c.mouthTrack.length / ((c.mouthTrack.at(-1)!.cameraMs - c.mouthTrack[0]!.cameraMs) / 1000)).toFixed(0);
  const what = `jawOpen per analysed frame of ${clip}.mjpeg as Chromium's fake camera played it (looping every ${clipMs} ms) through the liveness harness (~${fps} fps); times in ms of clip time: camera time minus the fake camera's start-up (${offset} ms, the lag where the clip's own sound fits best). Made with scripts/mouth-trace.ts (decision 079); numbers only, no image.`;
  process.stdout.write(JSON.stringify({ what, clipMs, track: c.mouthTrack.map((m) => [m.cameraMs - offset, m.jaw]) }));
} finally {
  await server.stop();
}
