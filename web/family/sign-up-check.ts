// The sign-up form's checks, field by field, with the shared schema the server uses: a wrong field
// is said in words next to it before anything is sent (issue 19).
import * as v from 'valibot';
import { newPassword, username } from '../../shared/schemas/auth.ts';
import { personName, phoneNumber } from '../../shared/schemas/family.ts';
import type { MessageKey } from '../i18n/index.ts';

export interface SignUpFields {
  displayName: string;
  phone: string;
  username: string;
  password: string;
  passwordAgain: string;
}

export type SignUpProblems = Partial<Record<keyof SignUpFields, MessageKey>>;

export function signUpProblems(f: SignUpFields): SignUpProblems {
  const out: SignUpProblems = {};
  if (!v.safeParse(personName, f.displayName).success) out.displayName = 'fam.err.name';
  if (!v.safeParse(phoneNumber, f.phone).success) out.phone = 'fam.err.phone';
  if (!v.safeParse(username, f.username).success) out.username = 'fam.err.username';
  if (!v.safeParse(newPassword, f.password).success) out.password = 'fam.err.password';
  else if (f.password !== f.passwordAgain) out.passwordAgain = 'fam.err.mismatch';
  return out;
}
