// The CLI's argument rules (fast, no browser) and its exit status for a usage error. Real runs on
// clips are in e2e/liveness-cli.e2e.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './liveness-cli.ts';
import { ROOT } from './build.ts';

const dir = mkdtempSync(join(tmpdir(), 'stillhere-cli-'));
const mjpeg = join(dir, 'clip.mjpeg');
const y4m = join(dir, 'clip.Y4M');
const mp4 = join(dir, 'clip.mp4');
for (const f of [mjpeg, y4m, mp4]) writeFileSync(f, 'x');
writeFileSync(join(dir, 'empty.mjpeg'), '');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const usage = (argv: string[]) => {
  try {
    parseArgs(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
};

describe('liveness CLI arguments', () => {
  it('parses a full command line, in both --name value and --name=value forms', () => {
    expect(parseArgs(['--video', mjpeg, '--steps', 'turn_left,blink', '--camera=rear', '--json'])).toEqual({
      video: mjpeg,
      steps: ['turn_left', 'blink'],
      camera: 'rear',
      delegate: 'auto',
      json: true,
    });
    expect(parseArgs(['--video', y4m, '--steps', 'read_digits', '--digits', '0427', '--timeout', '30', '--delegate', 'CPU'])).toMatchObject({
      steps: ['read_digits'],
      camera: 'front',
      digits: '0427',
      timeoutMs: 30_000,
      delegate: 'CPU',
      json: false,
    });
    expect(parseArgs(['--help'])).toBeNull();
    expect(parseArgs(['-h'])).toBeNull();
  });

  it('says what is missing or wrong', () => {
    expect(usage(['--steps', 'blink'])).toBe('--video is required');
    expect(usage(['--video', mjpeg])).toBe('--steps is required');
    expect(usage(['--video', join(dir, 'nope.mjpeg'), '--steps', 'blink'])).toMatch(/no such file/);
    expect(usage(['--video', join(dir, 'empty.mjpeg'), '--steps', 'blink'])).toMatch(/not a non-empty file/);
    expect(usage(['--video', mjpeg, '--steps', 'blink,wink'])).toMatch(/unknown step "wink"; steps are blink, turn_left/);
    expect(usage(['--video', mjpeg, '--steps', 'blink,blink'])).toMatch(/once/);
    expect(usage(['--video', mjpeg, '--steps', 'blink,turn_left,look_up,open_mouth'])).toMatch(/1 to 3 steps, got 4/);
    expect(usage(['--video', mjpeg, '--steps', 'blink', '--camera', 'side'])).toMatch(/front or rear/);
    expect(usage(['--video', mjpeg, '--steps', 'blink', '--digits', '1234'])).toMatch(/only for the read_digits/);
    expect(usage(['--video', mjpeg, '--steps', 'read_digits', '--digits', '12a4'])).toMatch(/4 digits/);
    expect(usage(['--video', mjpeg, '--steps', 'blink', '--timeout', '1'])).toMatch(/5 to 600/);
    expect(usage(['--video', mjpeg, '--steps', 'blink', '--frames', '3'])).toMatch(/unknown option --frames/);
    expect(usage(['--video', mjpeg, '--steps'])).toMatch(/--steps needs a value/);
    expect(usage([mjpeg])).toMatch(/unexpected argument/);
  });

  it('refuses an .mp4 and says how to convert it to .mjpeg or .y4m', () => {
    const msg = usage(['--video', mp4, '--steps', 'blink']);
    expect(msg).toMatch(/unsupported file type "\.mp4"/);
    expect(msg).toContain('ffmpeg -i INPUT.mp4 -vf fps=30 -q:v 3 OUTPUT.mjpeg');
    expect(msg).toContain('ffmpeg -i INPUT.mp4 -pix_fmt yuv420p OUTPUT.y4m');
  });

  it('exits with 2 and one JSON error object for a usage error with --json', () => {
    const r = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/liveness-cli.ts', '--video', mp4, '--steps', 'blink', '--json'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: null, error: { kind: 'usage' } });
    expect(r.stderr).toContain('usage: npm run liveness');
  });
});

describe('--once (issue 18 §6)', () => {
  it('is a flag, present only when given', () => {
    expect(parseArgs(['--video', mjpeg, '--steps', 'blink', '--once'])).toMatchObject({ once: true });
    expect(parseArgs(['--video', mjpeg, '--steps', 'blink'])).not.toHaveProperty('once');
  });
});

describe('--audio (issue 18 §4)', () => {
  const wav = join(dir, 'answer.WAV');
  writeFileSync(wav, 'x');

  it('takes a WAV file as the microphone for read_digits', () => {
    expect(parseArgs(['--video', mjpeg, '--steps', 'turn_left,read_digits', '--audio', wav])).toMatchObject({ audio: wav });
    expect(parseArgs(['--video', mjpeg, '--steps', 'read_digits'])).not.toHaveProperty('audio');
  });

  it('says what is wrong with anything else', () => {
    expect(usage(['--video', mjpeg, '--steps', 'read_digits', '--audio', mp4])).toMatch(/takes a \.wav file/);
    expect(usage(['--video', mjpeg, '--steps', 'read_digits', '--audio', join(dir, 'missing.wav')])).toMatch(/no such file/);
    expect(usage(['--video', mjpeg, '--steps', 'blink', '--audio', wav])).toMatch(/only for the read_digits step/);
  });
});
