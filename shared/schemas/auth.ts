import * as v from 'valibot';
import { answer, endpoint, type Ok } from '../contract.ts';
import { parseIdNumber } from '../id-number.ts';
import type { Role } from './admin.ts';

export const idNumber = v.pipe(
  v.string('ID number must be text'),
  v.trim(),
  v.toUpperCase(),
  v.check((s) => parseIdNumber(s).ok, (issue) => {
    const r = parseIdNumber(String(issue.input));
    return `Not a valid ID number (${r.ok ? 'unknown' : r.problem})`;
  }),
);

export const pin = v.pipe(v.string('PIN must be text'), v.regex(/^\d{6}$/, 'PIN must be 6 digits'));
export const username = v.pipe(
  v.string('Username must be text'),
  v.trim(),
  v.toLowerCase(),
  v.regex(/^[a-z0-9][a-z0-9._-]{2,39}$/, 'Username: 3-40 letters, digits, dots, dashes or underscores'),
);
export const password = v.pipe(v.string('Password must be text'), v.minLength(1, 'Password is required'), v.maxLength(200, 'Password is too long'));
export const newPassword = v.pipe(v.string(), v.minLength(10, 'Password must be at least 10 characters'), v.maxLength(200, 'Password is too long'));
export const activationCode = v.pipe(v.string('Activation code must be text'), v.trim(), v.regex(/^\d{8}$/, 'Activation code must be 8 digits'));
/** Client-generated, stable per installation; lets the server bind sessions and sync to a phone. */
export const deviceId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/, 'Device id: 8-64 URL-safe characters'));

export const RetireeSignIn = v.strictObject({ idNumber, pin, deviceId: v.optional(deviceId) });
export const PasswordSignIn = v.strictObject({ username, password, deviceId: v.optional(deviceId) });
export const Activate = v.strictObject({ idNumber, code: activationCode, pin, deviceId: v.optional(deviceId) });
export const ChangePin = v.strictObject({ currentPin: pin, newPin: pin });

export type RetireeSignIn = v.InferOutput<typeof RetireeSignIn>;
export type PasswordSignIn = v.InferOutput<typeof PasswordSignIn>;
export type Activate = v.InferOutput<typeof Activate>;

// ---------------------------------------------------------------------------------------------
// The contracts (shared/contract.ts, decision 086).

/** What the app needs to know about the signed-in user, by role (GET /api/me, and every sign-in's answer). */
export interface Me {
  user: { id: number; role: Role; displayName: string };
  sessionExpiresAt: number;
  /** When the session began: fixed for its life, so it names the session. */
  sessionStartedAt: number;
  retiree?: { id: number; name: string; idNumber: string; communityName: string } | null;
  /** Family: the linked retirees, ID numbers masked. */
  retirees?: { id: number; name: string; idNumber: string; relation: string }[];
  communities?: { id: number; name: string }[];
  region?: { code: string; name: string } | null;
}

export const AUTH = {
  me: endpoint({ method: 'GET', path: '/api/me', answer: answer<Me>() }),
  signInRetiree: endpoint({ method: 'POST', path: '/api/auth/sign-in/retiree', body: RetireeSignIn, answer: answer<Me>() }),
  signIn: endpoint({ method: 'POST', path: '/api/auth/sign-in', body: PasswordSignIn, answer: answer<Me>() }),
  /** A retiree's first PIN (or a new one after the office's reactivation code), with the letter's code. */
  activate: endpoint({ method: 'POST', path: '/api/auth/activate', body: Activate, answer: answer<Me>() }),
  signOut: endpoint({ method: 'POST', path: '/api/auth/sign-out', answer: answer<Ok>() }),
  signOutEverywhere: endpoint({ method: 'POST', path: '/api/auth/sign-out-everywhere', answer: answer<Ok & { sessionsEnded: number }>() }),
  changePin: endpoint({ method: 'POST', path: '/api/me/pin', body: ChangePin, answer: answer<Ok>() }),
};
