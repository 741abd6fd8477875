// The home-visit signature envelope (decision 041), sealed with WebCrypto (the phone; Node's
// globalThis.crypto in tests) and opened by server/sync/signature.ts.
import type { SignatureKey } from './sync.ts';

/**
 * What a signature is bound to: the record's id, the retiree, the worker and the photo. An envelope
 * copied onto another record (or another worker's push) no longer decrypts.
 */
export function signatureBinding(b: { id: string; retireeId: number; userId: number; photoSha256: string }): string {
  return `stillhere-attestation-v1|${b.id}|${b.retireeId}|${b.userId}|${b.photoSha256}`;
}

/**
 * What an in-person enrolment signature is bound to (issue 14): the attempt, the retiree, the worker
 * and the first key frame, which becomes the retiree's reference face. Its own prefix, so an
 * attestation's envelope can never be presented as an enrolment.
 */
export function enrolmentBinding(b: { id: string; retireeId: number; userId: number; frameSha256: string }): string {
  return `stillhere-enrolment-v1|${b.id}|${b.retireeId}|${b.userId}|${b.frameSha256}`;
}

const b64url = (bytes: Uint8Array) => {
  let s = '';
  for (const x of bytes) s += String.fromCharCode(x);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

const fromB64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** Encrypts the password to the server's key; the result is all the phone stores. */
export async function sealSignature(key: SignatureKey, password: string, binding: string, subtle: typeof globalThis.crypto.subtle = globalThis.crypto.subtle): Promise<string> {
  const rsa = await subtle.importKey('spki', fromB64(key.spki) as Uint8Array<ArrayBuffer>, { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['encrypt']);
  const raw = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const aes = await subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt']);
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(
    await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(binding) }, aes, new TextEncoder().encode(password)),
  );
  const wrapped = new Uint8Array(await subtle.encrypt({ name: 'RSA-OAEP' }, rsa, raw));
  raw.fill(0);
  return `s1.${key.kid}.${b64url(wrapped)}.${b64url(iv)}.${b64url(sealed)}`;
}
