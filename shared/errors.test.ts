import { describe, expect, it } from 'vitest';
import { apiErrorOf, apiErrorOfText } from './errors.ts';

describe('apiErrorOf', () => {
  it('reads the error the server sends', () => {
    expect(apiErrorOfText('{"error":{"code":"device_required","message":"Sign in again"}}')).toEqual({ code: 'device_required', message: 'Sign in again' });
    expect(apiErrorOf({ error: { code: 'rate_limited', message: 'wait', details: { retryAt: 5 } } })).toEqual({ code: 'rate_limited', message: 'wait', details: { retryAt: 5 } });
  });

  it('is null for anything that is not the API speaking: a proxy page, a cut answer, an unknown code, a code only mentioned', () => {
    expect(apiErrorOfText('<html><body>502 Bad Gateway</body></html>')).toBeNull();
    expect(apiErrorOfText('{"error":{"code":"device_requ')).toBeNull();
    expect(apiErrorOfText('{"error":{"code":"brand_new_code","message":"x"}}')).toBeNull();
    // What the transport used to match by searching the text: a validation message naming the code.
    expect(apiErrorOfText('{"error":{"code":"validation_failed","message":"\\"device_required\\" is not a field"}}')).toEqual({ code: 'validation_failed', message: '"device_required" is not a field' });
    expect(apiErrorOf(null)).toBeNull();
    expect(apiErrorOf({ error: { code: 'internal', details: [1] } })).toEqual({ code: 'internal', message: '' });
  });
});
