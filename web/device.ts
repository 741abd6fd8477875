// A random id for this installation, sent at sign-in so the server can bind sessions (and later
// challenge tokens and sync) to this phone. Not a fingerprint: clearing site data makes a new one.
const KEY = 'stillhere.deviceId';

export function deviceId(): string {
  let id = localStorage.getItem(KEY);
  if (!id) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    id = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    localStorage.setItem(KEY, id);
  }
  return id;
}
