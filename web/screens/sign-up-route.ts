// Whether the family sign-up is open instead of the sign-in (issue 19): its own address, so Back
// returns to the sign-in and a relative can be sent the link.
import { createSignal } from 'solid-js';

export const SIGN_UP_HASH = '#/family-sign-up';
const [signUpOpen, setSignUpOpen] = createSignal(typeof location !== 'undefined' && location.hash === SIGN_UP_HASH);
if (typeof window !== 'undefined') window.addEventListener('hashchange', () => setSignUpOpen(location.hash === SIGN_UP_HASH));

export { signUpOpen };

export function closeSignUp(): void {
  if (location.hash === SIGN_UP_HASH) history.replaceState(null, '', location.pathname + location.search);
  setSignUpOpen(false);
}
