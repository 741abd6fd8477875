// Home-visit signatures (decision 041). The worker re-enters their password on the phone, possibly
// days before there is signal. The phone never keeps the password: it encrypts it at once to the
// server's public key (RSA-OAEP-256 wrapping a fresh AES-256-GCM key) with the record it signs as
// additional data, and keeps only that envelope in its outbox. At ingest the server decrypts it,
// checks the binding, and verifies the password against the worker's scrypt hash.
//
// Envelope: "s1.<kid>.<b64url RSA-OAEP(aesKey)>.<b64url iv>.<b64url AES-GCM(password) ‖ tag>".
// Additional data: signatureBinding() below — the same string on both sides.
import { createDecipheriv, generateKeyPairSync, privateDecrypt, constants, randomBytes, createPublicKey } from 'node:crypto';
import type { SignatureKey } from '../../shared/sync.ts';
import type { Db } from '../db/sqlite.ts';
import { settingOnce, settingValue } from '../store/settings.ts';

export { signatureBinding } from '../../shared/signature.ts';

const SETTING = 'signature_key';

interface StoredKey {
  kid: string;
  privatePem: string;
  spki: string;
}

const keys = new WeakMap<Db, Promise<StoredKey>>();

/** This database's signing key pair: created once (INSERT … ON CONFLICT DO NOTHING, so concurrent first uses agree). */
function storedKey(db: Db): Promise<StoredKey> {
  let key = keys.get(db);
  if (!key) {
    key = (async () => {
      const existing = await settingValue(db, SETTING);
      if (existing !== undefined) return JSON.parse(existing) as StoredKey;
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const fresh: StoredKey = {
        kid: randomBytes(6).toString('base64url'),
        privatePem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        spki: pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
      };
      return JSON.parse(await settingOnce(db, SETTING, JSON.stringify(fresh))) as StoredKey;
    })();
    key.catch(() => keys.delete(db));
    keys.set(db, key);
  }
  return key;
}

export async function signaturePublicKey(db: Db): Promise<SignatureKey> {
  const k = await storedKey(db);
  return { kid: k.kid, spki: k.spki };
}

/**
 * The password inside an envelope, or null when it is malformed, for another key, or was made for
 * another record (the AES-GCM tag fails when the binding differs).
 */
export async function openSignature(db: Db, envelope: string, binding: string): Promise<string | null> {
  const parts = envelope.split('.');
  if (parts.length !== 5 || parts[0] !== 's1') return null;
  const [, kid, wrapped, iv, sealed] = parts as [string, string, string, string, string];
  const key = await storedKey(db);
  if (kid !== key.kid) return null;
  try {
    const aesKey = privateDecrypt({ key: key.privatePem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(wrapped, 'base64url'));
    const ivBytes = Buffer.from(iv, 'base64url');
    const data = Buffer.from(sealed, 'base64url');
    if (aesKey.length !== 32 || ivBytes.length !== 12 || data.length < 17) return null;
    const decipher = createDecipheriv('aes-256-gcm', aesKey, ivBytes);
    decipher.setAAD(Buffer.from(binding, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - 16));
    const plain = Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
    return plain.toString('utf8');
  } catch {
    return null;
  }
}

/** For tests: the public key as a KeyObject, to build envelopes the way the phone does. */
export async function signaturePublicKeyObject(db: Db) {
  return createPublicKey({ key: Buffer.from((await storedKey(db)).spki, 'base64'), format: 'der', type: 'spki' });
}
