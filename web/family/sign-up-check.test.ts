import { describe, expect, it } from 'vitest';
import { signUpProblems } from './sign-up-check.ts';

const good = { displayName: '王小明', phone: '138 0013 8000', username: 'wang.xiaoming', password: 'xiaoming-2026-pw', passwordAgain: 'xiaoming-2026-pw' };

describe('family sign-up checks', () => {
  it('takes a good form, spaces in the phone number included', () => {
    expect(signUpProblems(good)).toEqual({});
    expect(signUpProblems({ ...good, phone: '010-6512 3456' })).toEqual({});
  });

  it('names each wrong field with its message', () => {
    expect(signUpProblems({ displayName: '王', phone: '1234', username: 'Wang Xiaoming', password: 'short', passwordAgain: '' })).toEqual({
      displayName: 'fam.err.name',
      phone: 'fam.err.phone',
      username: 'fam.err.username',
      password: 'fam.err.password',
    });
    expect(signUpProblems({ ...good, passwordAgain: 'xiaoming-2026-px' })).toEqual({ passwordAgain: 'fam.err.mismatch' });
  });
});
