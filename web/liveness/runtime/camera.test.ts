import { describe, expect, it } from 'vitest';
import { cameraConstraints, classifyCameraError, facingModeFor, type CameraErrorCode } from './camera.ts';
import { RUNTIME_MESSAGES, runtimeMessage } from './messages.ts';

const domError = (name: string) => new DOMException('x', name);

describe('camera', () => {
  it('asks only for the facing mode: no size that would crop a portrait camera', () => {
    expect(cameraConstraints('front')).toEqual({ audio: false, video: { facingMode: { ideal: 'user' } } });
    expect(cameraConstraints('rear')).toEqual({ audio: false, video: { facingMode: { ideal: 'environment' } } });
    expect(facingModeFor('rear')).toBe('environment');
  });

  it('maps getUserMedia failures to what the person can do about them', () => {
    const cases: [string, CameraErrorCode][] = [
      ['NotAllowedError', 'permission_denied'],
      ['SecurityError', 'permission_denied'],
      ['NotFoundError', 'no_camera'],
      ['OverconstrainedError', 'no_camera'],
      ['NotReadableError', 'camera_busy'],
      ['AbortError', 'camera_busy'],
      ['TypeError', 'unsupported'],
      ['WeirdError', 'unknown'],
    ];
    for (const [name, code] of cases) expect(classifyCameraError(domError(name)), name).toBe(code);
    expect(classifyCameraError(null)).toBe('unknown');
  });

  it('has a message with a next step for every camera problem, in Chinese and English', () => {
    const codes: CameraErrorCode[] = ['permission_denied', 'no_camera', 'camera_busy', 'insecure_context', 'unsupported', 'unknown'];
    const seen = new Set<string>();
    for (const code of codes) {
      for (const lang of ['zh-CN', 'en'] as const) {
        const m = runtimeMessage(`camera.${code}`, lang);
        expect(m.title.length, `${code} ${lang}`).toBeGreaterThan(3);
        expect(m.action.length, `${code} ${lang}`).toBeGreaterThan(10);
        seen.add(m.action);
      }
      expect(runtimeMessage(`camera.${code}`, 'zh-CN').action).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(seen.size).toBe(codes.length * 2);
    for (const m of Object.values(RUNTIME_MESSAGES)) expect(m.title.en).not.toBe(m.title['zh-CN']);
  });
});
