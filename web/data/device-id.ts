// A random id for this installation, sent at sign-in so the server can bind sessions (and later
// challenge tokens and sync) to this phone. Not a fingerprint: clearing site data makes a new one.
// One copy, in localStorage: sign-in reads it synchronously, and nothing else needs it (the service
// worker pushes on the session the id was bound to). An older version also kept a copy in the
// settings table; that row is simply no longer read.
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
